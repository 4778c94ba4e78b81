"""Serving stored files: only after a permission check, always as a download."""

from urllib.parse import quote

from django.http import FileResponse, Http404

from dialogue.audit import audit_event
from dialogue.models import ConcernAttachment


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
