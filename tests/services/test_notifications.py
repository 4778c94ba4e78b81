"""Concern notifications: outbox rows in the same transaction, e-mailed once, in each language."""

import pytest
from django.core import mail

from dialogue.enums import ConcernStatus, Language, Marking
from dialogue.models import Notification
from dialogue.services.concerns import concern_change_status, concern_message_post, concern_submit
from dialogue.services.notifications import notifications_dispatch
from tests import factories as f


@pytest.fixture
def cast(semiconductors, batteries):
    org = f.OrganizationFactory(sectors=[semiconductors])
    return {
        "company": f.CompanyUserFactory(
            organization=org, email="a@corp.example.jp", language=Language.JA
        ),
        "colleague": f.CompanyUserFactory(
            organization=org, email="a2@corp.example.jp", language=Language.EN
        ),
        "outsider": f.CompanyUserFactory(email="b@corp.example.jp"),
        "official": f.OfficialFactory(sectors=[semiconductors], email="semi@meti.example.jp"),
        "other_official": f.OfficialFactory(sectors=[batteries], email="batt@meti.example.jp"),
    }


def submit(cast, semiconductors, **kwargs):
    return concern_submit(
        user=cast["company"],
        sector=semiconductors,
        category="2-2",
        title=kwargs.pop("title", "輸出規制の相談"),
        description="詳細",
        **kwargs,
    )


@pytest.mark.django_db
def test_a_new_concern_notifies_the_sectors_officials_only(
    cast, semiconductors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast, semiconductors)
    assert [m.to for m in mail.outbox] == [["semi@meti.example.jp"]]
    assert "輸出規制の相談" not in mail.outbox[0].body  # AMBER+STRICT: a link, not the content
    assert "/concerns/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_official_reply_notifies_the_organization_in_each_language(
    cast, semiconductors, django_capture_on_commit_callbacks
):
    concern = submit(cast, semiconductors, marking=Marking.GREEN, title="公開可の相談")
    notifications_dispatch()  # the officials' "new concern" e-mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_message_post(concern=concern, author=cast["official"], body="回答です")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"a@corp.example.jp", "a2@corp.example.jp"}
    assert "replied" in by_recipient["a2@corp.example.jp"].subject
    assert "公開可の相談" in by_recipient["a@corp.example.jp"].body  # GREEN may travel by e-mail
    assert "回答です" not in by_recipient["a@corp.example.jp"].body  # the reply itself stays inside


@pytest.mark.django_db
def test_internal_notes_notify_nobody(cast, semiconductors, django_capture_on_commit_callbacks):
    concern = submit(cast, semiconductors)
    notifications_dispatch()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_message_post(
            concern=concern, author=cast["official"], body="内部", is_internal=True
        )
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_status_change_notifies_the_organization(
    cast, semiconductors, django_capture_on_commit_callbacks
):
    concern = submit(cast, semiconductors)
    notifications_dispatch()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_change_status(concern=concern, actor=cast["official"], status=ConcernStatus.TRIAGED)
    assert sorted(m.to[0] for m in mail.outbox) == ["a2@corp.example.jp", "a@corp.example.jp"]


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_no_notification(
    cast, semiconductors, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                submit(cast, semiconductors)
                raise RuntimeError("the request failed after the service ran")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_dispatch_sends_each_notification_once(cast, semiconductors):
    submit(cast, semiconductors)  # on_commit never fires inside the test transaction
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1
    first = notifications_dispatch()
    second = notifications_dispatch()
    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
