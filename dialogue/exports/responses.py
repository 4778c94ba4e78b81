"""HTTP responses for exports: always a download, never cached, with the marking in a header."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import FileResponse, StreamingHttpResponse

from dialogue.downloads import content_disposition

MARKING_HEADER = "X-Marking"


def _protect(response, *, filename: str, marking: str):
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response[MARKING_HEADER] = marking
    return response


def streaming_download(
    chunks: Iterable[bytes], *, filename: str, content_type: str, marking: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    return _protect(response, filename=filename, marking=marking)


def file_download(handle, *, filename: str, content_type: str, marking: str) -> FileResponse:
    """`handle`: an open binary file positioned at its start; closed when the response is."""
    response = FileResponse(handle, content_type=content_type)
    return _protect(response, filename=filename, marking=marking)
