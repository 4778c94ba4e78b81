"""The digest e-mail, built directly: counts only, the link to the stored digest."""

import datetime

import pytest
from django.urls import reverse

from dialogue.enums import DigestFrequency, Language, Marking
from dialogue.mail.digests import digest_mail
from dialogue.models import Digest
from tests import factories as f
from tests.mail.conftest import SITE

pytestmark = pytest.mark.django_db

CONTENT = {
    "marking": Marking.AMBER,
    "new_threats": [{"sector": "semiconductors", "count": 2}, {"sector": "batteries", "count": 1}],
    "changed_threats": [{"sector": "semiconductors", "count": 4}],
    "new_chokepoints": [{"name": "フォトレジスト"}],
    "actions_done": 5,
    "actions_overdue": 6,
}


def digest_for(language: str) -> Digest:
    return Digest.objects.create(
        recipient=f.OfficialFactory(language=language),
        frequency=DigestFrequency.WEEKLY,
        period_start=datetime.date(2026, 11, 16),
        period_end=datetime.date(2026, 11, 22),
        marking=Marking.AMBER,
        content=CONTENT,
    )


def test_counts_and_the_link_in_english():
    digest = digest_for(Language.EN)

    mail = digest_mail(digest=digest)

    assert mail.to == digest.recipient.email
    assert mail.subject == "[Strategic dialogue] Plan-revision digest 2026-11-16 – 2026-11-22"
    for expected in ("New threats: 3", "Changed threats: 4", "New chokepoint technologies: 1"):
        assert expected in mail.text
    assert "Actions done: 5" in mail.text and "Actions overdue: 6" in mail.text
    assert "フォトレジスト" not in mail.text  # counts only: details are behind the link
    link = SITE + reverse("workspace:digest-detail", kwargs={"pk": digest.pk})
    assert link in mail.text and f'href="{link}"' in mail.html


def test_in_japanese():
    mail = digest_mail(digest=digest_for(Language.JA))
    assert mail.subject == "【戦略的対話】アクションプラン改訂ダイジェスト 2026-11-16～2026-11-22"
