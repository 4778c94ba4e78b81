"""Who a notice reaches (one rule, seen from the user and from the organizations), what a
notice may carry, its transitions, and the notice e-mails by each person's frequency."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dialogue.enums import Marking, NoticeFrequency, NoticeStatus, SizeClass
from dialogue.models import Notice, NoticeMail, NoticeRead
from dialogue.models.notices import encode_size_classes
from dialogue.selectors.notices import audience_organizations, notice_reach
from dialogue.services.common import PermissionDeniedError
from dialogue.services.notice_mails import notice_digest_round, notice_mail_now
from dialogue.services.notices import (
    notice_create,
    notice_mark_read,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from tests import factories as f

MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture
def orgs(batteries, semiconductors):
    return {
        "large": f.OrganizationFactory(sectors=[batteries], size_class=SizeClass.LARGE),
        "sme": f.OrganizationFactory(sectors=[batteries], size_class=SizeClass.SME),
        "chips": f.OrganizationFactory(sectors=[semiconductors], size_class=SizeClass.LARGE),
    }


@pytest.fixture
def users(orgs):
    return {key: f.CompanyUserFactory(organization=org) for key, org in orgs.items()}


def addressed(user) -> set[int]:
    return set(Notice.objects.addressed_to(user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_notice_reaches_the_companies_of_its_sectors_and_sizes_only(batteries, users, orgs):
    everyone = f.NoticeFactory(sectors=[batteries])
    smes = f.NoticeFactory(sectors=[batteries], size_classes=encode_size_classes(["sme"]))

    assert addressed(users["large"]) == {everyone.pk}
    assert addressed(users["sme"]) == {everyone.pk, smes.pk}
    assert addressed(users["chips"]) == set()
    # the same rule seen from the organizations' side
    assert set(audience_organizations(everyone)) == {orgs["large"], orgs["sme"]}
    assert set(audience_organizations(smes)) == {orgs["sme"]}


@pytest.mark.django_db
def test_a_notice_to_a_domain_reaches_the_companies_of_its_sectors(batteries, users):
    notice = f.NoticeFactory(sectors=[batteries.parent])
    assert addressed(users["large"]) == {notice.pk}
    assert addressed(users["chips"]) == set()


@pytest.mark.django_db
def test_drafts_withdrawn_future_and_officials_only_notices_reach_no_company(batteries, users):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    f.NoticeFactory(sectors=[batteries], status=NoticeStatus.DRAFT)
    f.NoticeFactory(sectors=[batteries], status=NoticeStatus.WITHDRAWN)
    scheduled = f.NoticeFactory(sectors=[batteries], publish_on=tomorrow)
    f.NoticeFactory(sectors=[batteries], audience="officials", marking=Marking.AMBER)

    assert addressed(users["large"]) == set()
    # a scheduled notice appears on its date
    Notice.objects.filter(pk=scheduled.pk).update(publish_on=timezone.localdate())
    assert addressed(users["large"]) == {scheduled.pk}


@pytest.mark.django_db
def test_threat_codes_narrow_the_audience_to_the_codes_of_the_sectors(
    batteries, semiconductors, users, orgs, code
):
    # given: batteries face 3-3 through a GREEN threat; semiconductors only through an AMBER
    # one (no foreign measure of the reference data carries 3-3 or 1-2; measures affecting
    # every sector carry 3-1, so every sector faces family 3)
    f.ThreatFactory(sector=batteries, category=code("3-3"), marking=Marking.GREEN)
    f.ThreatFactory(sector=semiconductors, category=code("3-3"), marking=Marking.AMBER)
    leaf = f.NoticeFactory(sectors=[batteries, semiconductors], threat_categories=[code("3-3")])
    family = f.NoticeFactory(sectors=[batteries, semiconductors], threat_categories=[code("3")])
    other = f.NoticeFactory(sectors=[batteries, semiconductors], threat_categories=[code("1-2")])

    assert addressed(users["large"]) == {leaf.pk, family.pk}
    # an AMBER threat tells the companies nothing: not addressed through it
    assert addressed(users["chips"]) == {family.pk}
    assert set(audience_organizations(leaf)) == {orgs["large"], orgs["sme"]}
    assert orgs["large"] in set(audience_organizations(family))
    assert list(audience_organizations(other)) == []
    # the foreign measures of the reference data count too: both sectors face 2-2
    measured = f.NoticeFactory(sectors=[batteries, semiconductors], threat_categories=[code("2-2")])
    assert measured.pk in addressed(users["chips"]) and measured.pk in addressed(users["large"])


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "message"), [("ja", "企業向けの周知"), ("en", "companies")])
def test_a_notice_to_companies_above_green_is_refused_with_a_translated_error(
    batteries, language, message
):
    official = f.OfficialFactory(sectors=[batteries])
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            notice_create(
                actor=official,
                kind="compliance_rule",
                title_ja="題",
                title_en="Title",
                body_ja="本文",
                body_en="Text",
                sectors=[batteries],
                size_classes=["large"],
                marking=Marking.AMBER,
            )
        # the message is lazy: read it in the language it was made for
        assert message in refused.value.message_dict["marking"][0]
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_notice_to_companies_links_only_chokepoints_they_may_see(batteries):
    official = f.OfficialFactory(sectors=[batteries])
    amber = f.ChokepointFactory(sector=batteries, marking=Marking.AMBER)
    with pytest.raises(ValidationError) as refused:
        notice_create(
            actor=official,
            kind="chokepoint_awareness",
            title_ja="題",
            title_en="Title",
            body_ja="本文",
            body_en="Text",
            sectors=[batteries],
            size_classes=["large"],
            chokepoints=[amber],
        )
    assert "chokepoints" in refused.value.message_dict
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_officials_write_for_their_sectors_only_and_the_secretariat_for_all(
    batteries, semiconductors
):
    notice = f.NoticeFactory(sectors=[semiconductors], status=NoticeStatus.DRAFT)
    batt_official = f.OfficialFactory(sectors=[batteries])
    with pytest.raises(PermissionDeniedError):
        notice_publish(notice=notice, actor=batt_official)
    with pytest.raises(PermissionDeniedError):
        notice_update(notice=notice, actor=batt_official, changes={"title_en": "x"})
    published = notice_publish(notice=notice, actor=f.SecretariatFactory())
    assert published.status == NoticeStatus.PUBLISHED and published.published_at


@pytest.mark.django_db
def test_withdrawn_is_final_and_a_draft_is_published_once(batteries):
    official = f.OfficialFactory(sectors=[batteries])
    notice = f.NoticeFactory(sectors=[batteries], status=NoticeStatus.DRAFT)
    notice = notice_publish(notice=notice, actor=official)
    with pytest.raises(ValidationError):
        notice_publish(notice=notice, actor=official)
    notice = notice_withdraw(notice=notice, actor=official)
    with pytest.raises(ValidationError):
        notice_update(notice=notice, actor=official, changes={"title_en": "again"})
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.WITHDRAWN


@pytest.mark.django_db
def test_reach_counts_organizations_with_a_reader_per_size_class(batteries, users, orgs):
    notice = f.NoticeFactory(sectors=[batteries])
    colleague = f.CompanyUserFactory(organization=orgs["large"])
    notice_mark_read(notice=notice, user=users["large"])
    notice_mark_read(notice=notice, user=colleague)
    notice_mark_read(notice=notice, user=users["large"])  # again: still one receipt

    reach = notice_reach(notice)
    assert [(r.size_class, r.organizations, r.read) for r in reach.rows] == [
        ("large", 1, 1),
        ("midsize", 0, 0),
        ("sme", 1, 0),
    ]
    assert (reach.total, reach.read) == (2, 1)
    assert NoticeRead.objects.filter(notice=notice).count() == 2


# -- e-mails ----------------------------------------------------------------------------


@pytest.fixture
def subscribers(batteries):
    org = f.OrganizationFactory(sectors=[batteries])
    joined = timezone.now() - datetime.timedelta(days=30)
    return {
        frequency: f.CompanyUserFactory(
            organization=org, notice_frequency=frequency, date_joined=joined
        )
        for frequency in NoticeFrequency.values
    }


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_immediate_subscribers_are_e_mailed_once_with_the_title_and_link(
    batteries, subscribers, settings
):
    settings.SITE_URL = "https://dialogue.example.go.jp"
    notice = f.NoticeFactory(sectors=[batteries], title_ja="黒鉛の輸出管理")

    notice_mail_now()
    notice_mail_now()  # a second round sends nothing more

    assert recipients() == [subscribers["immediate"].email]
    message = mail.outbox[0]
    assert "黒鉛の輸出管理" in message.body
    assert f"https://dialogue.example.go.jp/portal/notices/{notice.pk}/" in message.body


@pytest.mark.django_db
def test_daily_every_day_weekly_on_its_day_never_never(batteries, subscribers, settings):
    settings.NOTICE_WEEKLY_ON = MONDAY.weekday()
    f.NoticeFactory(sectors=[batteries])

    notice_digest_round(today=MONDAY + datetime.timedelta(days=1))
    assert recipients() == [subscribers["daily"].email]
    notice_digest_round(today=MONDAY)
    assert recipients() == sorted([subscribers["daily"].email, subscribers["weekly"].email])
    assert not NoticeMail.objects.filter(recipient=subscribers["never"]).exists()


@pytest.mark.django_db
def test_a_notice_read_or_withdrawn_before_its_e_mail_is_not_sent(batteries, subscribers):
    read = f.NoticeFactory(sectors=[batteries])
    withdrawn = f.NoticeFactory(sectors=[batteries])
    NoticeMail.objects.create(notice=read, recipient=subscribers["immediate"])
    NoticeMail.objects.create(notice=withdrawn, recipient=subscribers["immediate"])
    notice_mark_read(notice=read, user=subscribers["immediate"])
    Notice.objects.filter(pk=withdrawn.pk).update(status=NoticeStatus.WITHDRAWN)

    run = notice_mail_now()

    assert mail.outbox == []
    assert run.sent == 0
