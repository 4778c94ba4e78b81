"""Downloads in the schema: bytes, in the file's own media type."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

GENERIC = "application/octet-stream"


def binary_responses(status: int, media_types, description: str) -> dict:
    """`status` with the file under each of its real media types, listed after
    application/octet-stream: a generic client (a generated one too) then reads the body as
    bytes whichever type comes, and the Content-Type header names the real one."""
    file = OpenApiResponse(OpenApiTypes.BINARY, description=description)
    return {(status, media_type): file for media_type in dict.fromkeys([GENERIC, *media_types])}
