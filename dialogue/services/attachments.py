"""Attachments: checked by content and size, stored under a generated name outside the web root."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dialogue.models import Concern, ConcernAttachment, ConcernMessage, User
from dialogue.services.common import attribute_history

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

WINDOWS_DEVICE_NAMES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
# Markup that a browser would run if it ever rendered the file inline.
ACTIVE_MARKUP = re.compile(
    rb"<\s*(script|html|svg|iframe|object|embed|body)\b|<\?php|javascript:", re.IGNORECASE
)
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", ".pdf")
PNG = FileKind("image/png", ".png")
JPEG = FileKind("image/jpeg", ".jpg")
GIF = FileKind("image/gif", ".gif")
WEBP = FileKind("image/webp", ".webp")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"
)
LEGACY_OFFICE = FileKind("application/vnd.ms-office", ".doc")
TEXT = FileKind("text/plain", ".txt")
# Every type an attachment can be stored as (the API documents its downloads with them).
FILE_KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, LEGACY_OFFICE, TEXT)


def _office_open_xml(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    if any(n.startswith("ppt/") for n in names):
        return PPTX
    return None


def _plain_text(data: bytes) -> FileKind | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "cp932"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return TEXT
    return None


def detect_kind(data: bytes) -> FileKind | None:
    """What the bytes are, whatever the file is called; None for anything not allowed."""
    if data.startswith(b"%PDF-"):
        return None if PDF_ACTIVE.search(data) else PDF
    if ACTIVE_MARKUP.search(data):
        return None  # HTML, SVG with script, or a polyglot image carrying markup
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_open_xml(data)
    if data.startswith(OLE_SIGNATURE):
        return LEGACY_OFFICE
    if data.startswith(b"MZ") or data.startswith(b"\x7fELF"):
        return None
    return _plain_text(data)


def safe_display_name(name: str | None) -> str:
    """The user's file name made harmless for display and for Content-Disposition.

    Keeps Japanese (報告書.pdf survives); drops paths, control and bidi characters
    (NUL, CR/LF, right-to-left override) and defuses Windows device names.
    """
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Zl", "Zp"}
    )
    name = name.strip().strip(". ")
    stem = name.split(".")[0].upper()
    if stem in WINDOWS_DEVICE_NAMES:
        name = f"_{name}"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 150 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 10 else name[:150]
    return name or "attachment"


def _check_room(concern: Concern, adding: int) -> None:
    limit = settings.ATTACHMENT_MAX_PER_CONCERN
    if concern.attachments.count() + adding > limit:
        raise ValidationError(
            {"file": _("A concern can have at most %(limit)d attachments.") % {"limit": limit}},
            code="too_many",
        )


def _read_checked(upload: UploadedFile) -> tuple[bytes, FileKind]:
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("“%(name)s” is larger than %(limit)s.")
                % {"name": safe_display_name(upload.name), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": _("The file is too large.")}, code="too_large")
    if not data:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    kind = detect_kind(data)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is not an allowed file type. Attach PDF, Office documents, "
                    "images (PNG, JPEG, GIF, WebP) or plain text."
                )
                % {"name": safe_display_name(upload.name)}
            },
            code="file_type",
        )
    return data, kind


@transaction.atomic
def attachments_add(
    *,
    concern: Concern,
    actor: User,
    uploads: Iterable[UploadedFile],
    message: ConcernMessage | None = None,
) -> list[ConcernAttachment]:
    """Check every file first, then store them all; on any failure no file and no row is kept.

    A disk that fills up (or any other storage error) is a form error for the user,
    not a server error, and the files already written, including one cut short, are
    removed. Call it last in a service, so that nothing after it can roll the rows
    back and leave files behind.
    """
    uploads = list(uploads)
    _check_room(concern, len(uploads))
    checked = [(upload, *_read_checked(upload)) for upload in uploads]
    stored: list[ConcernAttachment] = []
    written: list[str] = []
    try:
        for upload, data, kind in checked:
            attachment = ConcernAttachment(
                concern=concern,
                message=message,
                original_name=safe_display_name(upload.name),
                content_type=kind.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            attachment.file = _store(attachment, f"upload{kind.extension}", data, written)
            stored.append(attachment)
            attribute_history(attachment, actor)
            attachment.save()
    except OSError as error:
        _remove_files(written)
        raise ValidationError(
            {"file": _("The file could not be stored. Please try again later.")}, code="storage"
        ) from error
    except Exception:
        _remove_files(written)
        raise
    return stored


def _store(attachment: ConcernAttachment, filename: str, data: bytes, written: list[str]) -> str:
    """Write the file under its generated name and return the name.

    The name is recorded in `written` before writing: when the disk fills up, the
    storage has already created the file and leaves it behind, empty or partial.
    """
    field = attachment.file.field
    name = field.generate_filename(attachment, filename)  # random, so never taken already
    written.append(name)
    saved: str = field.storage.save(name, ContentFile(data), max_length=field.max_length)
    written[-1] = saved
    return saved


def _remove_files(names: list[str]) -> None:
    storage = ConcernAttachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)  # a name that was never written is ignored
