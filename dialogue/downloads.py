"""Serving files: only after a permission check, always as a download, never cached.

The HTTP side of attachments and exports, shared by the workspace pages and the API:
what to serve was decided below (a visible record, an `ExportOutcome`).
"""

from collections.abc import Callable, Iterable
from typing import cast
from urllib.parse import quote

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase

from dialogue.audit import audit_event
from dialogue.models import ConcernAttachment, ExportJob
from dialogue.services.export_requests import ExportFile, ExportOutcome

MARKING_HEADER = "X-Marking"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987), so
    報告書.pdf arrives intact and no name can inject a header."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = (
        "".join(ch for ch in ascii_name if ch.isprintable() and ch not in '"\\;') or "download"
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(attachment: ConcernAttachment, *, request) -> FileResponse:
    """The caller must have found `attachment` through `visible_to(request.user)`.
    Each download is in the audit log (by id: the file's name is not logged)."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit_event(
        "attachment.downloaded",
        user=request.user,
        request=request,
        object_type="concern_attachment",
        object_id=attachment.pk,
        concern_id=attachment.concern_id,
    )
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- exports: always a download, never cached, with the marking in a header ---------------


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


def export_download(file: ExportFile) -> StreamingHttpResponse | FileResponse:
    headers = {"filename": file.filename, "content_type": file.content_type}
    if file.chunks is not None:
        return streaming_download(file.chunks, marking=file.marking, **headers)
    return file_download(file.handle, marking=file.marking, **headers)


def export_response(
    outcome: ExportOutcome, *, queued: Callable[[ExportJob], HttpResponseBase]
) -> HttpResponseBase:
    """The file of a small export; for a queued one, the door's own answer (`queued`)."""
    if outcome.job is not None:
        return queued(outcome.job)
    # Not queued: a file.
    return export_download(cast(ExportFile, outcome.file))
