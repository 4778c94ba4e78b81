"""Bad files through the portal form: a clear error and nothing saved (no concern, no row,
no file left in MEDIA_ROOT), or, for odd file names, safe storage under a generated name.

File names are sent as a browser or a script would send them: in a hand-built
multipart body, so that Django's test client does not clean them first.
"""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dialogue.downloads import content_disposition
from dialogue.enums import Marking
from dialogue.models import Concern, ConcernAttachment, PortalSubmission
from dialogue.services.concerns import concern_submit
from tests.portal.conftest import media_files
from tests.support.auth import signed_in
from tests.support.files import PDF

CREATE = reverse("portal:concern-create")
MB = 1024 * 1024


def multipart(fields: dict, files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----portal{uuid.uuid4().hex}"
    chunks = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        chunks.append(head.encode("utf-8") + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def submit(client, world, code, files, **headers):
    fields = {
        "sector": world["concern"].sector_id,
        "category": code("2-2").pk,
        "title": "添付ファイルの確認",
        "description": "説明",
        "desired_support": "information",
        "marking": Marking.AMBER_STRICT,
        "submission_key": str(uuid.uuid4()),
    }
    body, content_type = multipart(fields, files)
    return client.post(CREATE, data=body, content_type=content_type, **headers)


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"

REFUSED = {
    "oversized": (
        [("大きな資料.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB))],
        "is larger than 10.0\xa0MB",
    ),
    "exe-renamed-pdf": (
        [("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program")],
        "is not an allowed file type",
    ),
    "svg-with-script": (
        [
            (
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            )
        ],
        "is not an allowed file type",
    ),
    "svg-with-script-named-png": (
        [
            (
                "logo.png",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script/></svg>',
            )
        ],
        "is not an allowed file type",
    ),
    "html-png-polyglot": (
        [("photo.png", PNG_HEADER + b"<html><body><script>alert(1)</script></body></html>")],
        "is not an allowed file type",
    ),
    "pdf-with-javascript": (
        [
            (
                "form.pdf",
                b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
            )
        ],
        "is not an allowed file type",
    ),
    "empty": ([("empty.pdf", b"")], "The submitted file is empty."),
    "six-files": ([(f"{n}.pdf", PDF) for n in range(6)], "at most 5 attachments"),
    "one-good-one-bad": (
        [("good.pdf", PDF), ("bad.pdf", b"MZ\x90\x00 executable")],
        "is not an allowed file type",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", REFUSED)
def test_bad_files_get_a_clear_error_and_nothing_is_saved(case, world, code, settings):
    files, message = REFUSED[case]
    before_files = media_files(settings)
    before_rows = ConcernAttachment.objects.count()

    response = submit(signed_in(world["a"]), world, code, files, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<script>alert" not in page
    assert Concern.objects.count() == 1  # only the fixture's
    assert ConcernAttachment.objects.count() == before_rows
    assert not PortalSubmission.objects.exists()
    assert media_files(settings) == before_files


@pytest.mark.django_db
def test_the_size_limit_is_a_setting(world, code, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = submit(
        signed_in(world["a"]),
        world,
        code,
        [("a.pdf", PDF + b"0" * 1024)],
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "is larger than 1.0\xa0KB" in response.content.decode()


# --- odd names: stored safely, shown and downloaded under a harmless name -----------------

NAMES = {
    "../../etc/passwd.pdf": "passwd.pdf",
    "..\\..\\windows\\win.ini.pdf": "win.ini.pdf",
    "報告書.pdf": "報告書.pdf",
    "invoice\u202efdp.exe.pdf": "invoicefdp.exe.pdf",
    "CON.pdf": "_CON.pdf",
    "lpt1.pdf": "_lpt1.pdf",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("sent", "shown"), NAMES.items())
def test_odd_file_names_are_stored_under_a_generated_name(sent, shown, world, code, settings):
    client = signed_in(world["a"])

    response = submit(client, world, code, [(sent, PDF)])

    assert response.status_code == 302
    attachment = ConcernAttachment.objects.get(concern__title="添付ファイルの確認")
    assert attachment.original_name == shown
    assert re.fullmatch(
        rf"concerns/{attachment.concern_id}/[0-9a-f]{{32}}\.pdf", attachment.file.name
    )
    stored = (settings.MEDIA_ROOT / attachment.file.name).resolve()
    assert stored.is_file()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    download = client.get(reverse("portal:attachment-download", kwargs={"pk": attachment.pk}))
    disposition = download["Content-Disposition"]
    assert disposition == content_disposition(shown)
    assert disposition.startswith('attachment; filename="')
    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition


# The same names through the service (as the API or any other caller sends them), including
# the control characters a multipart body cannot carry.
SERVICE_NAMES = {
    "evil\x00.pdf": "evil.pdf",
    "report\r\nX-Injected: 1.pdf": "reportX-Injected: 1.pdf",
    "../../../../tmp/owned.pdf": "owned.pdf",
    "C:\\Users\\x\\報告書.pdf": "報告書.pdf",
    "invoice\u202efdp.exe": "invoicefdp.exe",
    "AUX.tar.pdf": "_AUX.tar.pdf",
    'a"b;c.pdf': 'a"b;c.pdf',
    "\u3000 . ": "attachment",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("sent", "shown"), SERVICE_NAMES.items())
def test_the_service_makes_any_name_harmless(sent, shown, world, code, settings):
    upload = SimpleUploadedFile("x.pdf", PDF)
    upload.name = sent  # bypass Django's own cleaning of upload names

    concern = concern_submit(
        user=world["a"],
        sector=world["concern"].sector,
        category=code("2-2"),
        title="t",
        description="d",
        uploads=[upload],
    )

    attachment = concern.attachments.get()
    assert attachment.original_name == shown
    assert (
        (settings.MEDIA_ROOT / attachment.file.name)
        .resolve()
        .is_relative_to(settings.MEDIA_ROOT.resolve())
    )
    disposition = content_disposition(attachment.original_name)
    assert "\r" not in disposition and "\n" not in disposition and "\x00" not in disposition


@pytest.mark.django_db
def test_error_messages_are_translated(world, code):
    with translation.override("ja"):
        response = submit(
            signed_in(world["a"]),
            world,
            code,
            [("invoice.pdf", b"MZ\x90\x00")],
            HTTP_ACCEPT_LANGUAGE="ja",
        )
    assert response.status_code == 400
    assert "is not an allowed file type" not in response.content.decode()
