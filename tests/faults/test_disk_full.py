"""Drill: the disk that holds uploads is full.

MEDIA_ROOT is a 64 KiB tmpfs mounted for the drill and filled up. A company user
attaches a file through the portal form and through the API. What they must see:
a clear, translated error on the form or in the JSON (not the server-error page),
with what they typed kept, and the same form working once space is freed. What
the operator must find: no concern, attachment row or notification from the
failed attempt, no file without its row, and no row without its file.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.models import Concern, ConcernAttachment, Notification, PortalSubmission
from tests import factories as f
from tests.faults.conftest import fill, needs_postgres
from tests.support.auth import signed_in_api
from tests.support.files import PDF

pytestmark = [pytest.mark.services, needs_postgres, pytest.mark.django_db]

COULD_NOT_STORE = {
    "en": "The file could not be stored. Please try again later.",
    "ja": "ファイルを保存できませんでした。しばらくしてから、もう一度お試しください。",
}


@pytest.fixture
def people(semiconductors):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    return {
        "company": f.CompanyUserFactory(username="disk_company", organization=organization),
        "official": f.OfficialFactory(username="disk_official", sectors=[semiconductors]),
    }


@pytest.fixture
def media(tiny_disk, settings):
    settings.MEDIA_ROOT = tiny_disk
    cache.clear()  # the submission limit counts in the cache
    yield tiny_disk
    cache.clear()


def files_and_rows(root, filler) -> tuple[set[str], set[str]]:
    """Files under MEDIA_ROOT (but the filler) and the files the attachment rows name."""
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p != filler}
    return files, set(ConcernAttachment.objects.values_list("file", flat=True))


def concern_form(semiconductors, code, key: str, uploads) -> dict:
    return {
        "sector": semiconductors.pk,
        "category": code("2-2").pk,
        "title": "ディスク満杯の訓練",
        "description": "添付ファイル付きの相談",
        "desired_support": "information",
        "marking": Marking.AMBER_STRICT,
        "submission_key": key,
        "attachments": uploads,
    }


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_portal_submission_on_a_full_disk_is_a_form_error_and_leaves_nothing(
    language, people, media, semiconductors, code
):
    # given: the upload disk is full
    filler = fill(media)
    client = Client()
    client.force_login(people["company"])
    key = str(uuid.uuid4())

    # when: a concern is submitted with an attachment
    response = client.post(
        reverse("portal:concern-create"),
        concern_form(semiconductors, code, key, [SimpleUploadedFile("報告書.pdf", PDF)]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    # then: the form comes back with the reason, in the user's language, and their text
    assert response.status_code == 400
    page = response.content.decode()
    assert COULD_NOT_STORE[language] in page
    assert "ディスク満杯の訓練" in page
    # ... and nothing of the attempt is left, on disk or in the database
    assert not Concern.objects.filter(title="ディスク満杯の訓練").exists()
    assert not PortalSubmission.objects.exists()
    assert not Notification.objects.exists()
    files, rows = files_and_rows(media, filler)
    assert files == rows == set(), f"left behind: files {files}, rows {rows}"

    # when: space is freed, the same form (same key) is sent again
    filler.unlink()
    response = client.post(
        reverse("portal:concern-create"),
        concern_form(semiconductors, code, key, [SimpleUploadedFile("報告書.pdf", PDF)]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    # then: it is saved, with its file, and the officials are notified
    assert response.status_code == 302
    concern = Concern.objects.get(title="ディスク満杯の訓練")
    attachment = concern.attachments.get()
    assert (media / attachment.file.name).read_bytes() == PDF
    assert Notification.objects.filter(concern=concern, recipient=people["official"]).exists()
    assert files_and_rows(media, filler) == ({attachment.file.name}, {attachment.file.name})


def test_when_the_disk_fills_up_during_the_second_file_no_file_is_kept(
    people, media, semiconductors, code
):
    # given: room for a small file, not for a larger one after it
    filler = fill(media)
    with filler.open("r+b") as fh:
        fh.truncate(filler.stat().st_size - 16 * 1024)
    small = SimpleUploadedFile("small.pdf", PDF)
    large = SimpleUploadedFile("large.pdf", PDF + b"0" * (40 * 1024))
    client = Client()
    client.force_login(people["company"])

    # when
    response = client.post(
        reverse("portal:concern-create"),
        concern_form(semiconductors, code, str(uuid.uuid4()), [small, large]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then: the first file (written) and the second (cut short) are both gone
    assert response.status_code == 400
    assert COULD_NOT_STORE["en"] in response.content.decode()
    assert not Concern.objects.exists()
    files, rows = files_and_rows(media, filler)
    assert files == rows == set(), f"left behind: files {files}, rows {rows}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_api_upload_on_a_full_disk_is_a_400_with_the_reason(
    language, people, media, semiconductors, code
):
    # given: a concern of the company, and a full disk
    concern = f.ConcernFactory(
        organization=people["company"].organization,
        submitted_by=people["company"],
        sector=semiconductors,
        category=code("2-2"),
    )
    filler = fill(media)
    api = signed_in_api(people["company"])
    url = reverse("api:concern-attachment-list", kwargs={"concern_pk": concern.reference})

    # when
    response = api.post(
        url,
        {"file": SimpleUploadedFile("報告書.pdf", PDF)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    # then: a client error that says what happened, and nothing half-stored
    assert response.status_code == 400, response.content
    assert response.json() == {"file": [COULD_NOT_STORE[language]]}
    assert not concern.attachments.exists()
    files, rows = files_and_rows(media, filler)
    assert files == rows == set(), f"left behind: files {files}, rows {rows}"

    # when: space is freed, the same upload works
    filler.unlink()
    response = api.post(url, {"file": SimpleUploadedFile("報告書.pdf", PDF)}, format="multipart")
    assert response.status_code == 201
    attachment = concern.attachments.get()
    assert files_and_rows(media, filler) == ({attachment.file.name}, {attachment.file.name})
