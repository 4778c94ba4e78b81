"""The portal's notices (unread first, read receipts per person, the navigation's badge),
the best-practice library and the notice e-mail setting."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import Marking, NoticeFrequency, SizeClass
from dialogue.models import BestPractice, ForeignMeasure, NoticeRead, User
from tests import factories as f
from tests.support.auth import signed_in


@pytest.fixture
def battery_company(batteries):
    org = f.OrganizationFactory(name="蓄電池工業", sectors=[batteries], size_class=SizeClass.SME)
    return {
        "user": f.CompanyUserFactory(username="batt_user", organization=org),
        "colleague": f.CompanyUserFactory(username="batt_colleague", organization=org),
    }


def notice_ids(response) -> list[int]:
    return [n.pk for n in response.context["page"].object_list]


@pytest.mark.django_db
def test_unread_notices_come_first_then_the_newest(batteries, battery_company):
    today = timezone.localdate()
    old = f.NoticeFactory(sectors=[batteries], publish_on=today - datetime.timedelta(days=9))
    new = f.NoticeFactory(sectors=[batteries], publish_on=today)
    read = f.NoticeFactory(sectors=[batteries], publish_on=today)
    NoticeRead.objects.create(notice=read, user=battery_company["user"])

    response = signed_in(battery_company["user"]).get(reverse("portal:notice-list"))

    assert response.status_code == 200
    assert notice_ids(response) == [new.pk, old.pk, read.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("ja", "既読"), ("en", "Read on")])
def test_opening_a_notice_marks_it_read_for_that_person_only(
    batteries, battery_company, language, label
):
    notice = f.NoticeFactory(
        sectors=[batteries], body_ja="## 概要\n黒鉛の**輸出管理**", body_en="## Summary\nGraphite"
    )
    client = signed_in(battery_company["user"])
    client.cookies["django_language"] = language
    colleague = signed_in(battery_company["colleague"])
    badge = 'data-testid="unread-notices"'
    assert badge in client.get(reverse("portal:home")).content.decode()

    response = client.get(
        reverse("portal:notice-detail", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE=language
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert label in page
    if language == "ja":
        assert "<strong>輸出管理</strong>" in page  # Markdown, rendered as minutes are
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert badge not in client.get(reverse("portal:home")).content.decode()
    assert badge in colleague.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_another_sectors_notice_is_not_found(batteries, semiconductors, battery_company):
    other = f.NoticeFactory(sectors=[semiconductors])
    client = signed_in(battery_company["user"])
    missing = client.get(reverse("portal:notice-detail", args=[987654]))
    hidden = client.get(reverse("portal:notice-detail", args=[other.pk]))
    assert hidden.status_code == missing.status_code == 404
    assert not NoticeRead.objects.exists()
    assert notice_ids(client.get(reverse("portal:notice-list"))) == []


@pytest.mark.django_db
def test_the_best_practice_library_shows_my_sectors_codes_then_everything(
    batteries, battery_company
):
    # batteries face the codes of the reference data's foreign measures linked to them or
    # to every sector (graphite's 2-1 and 2-2, coercion's 3-1 …)
    client = signed_in(battery_company["user"])
    mine = client.get(reverse("portal:best-practice-list")).context["practices"]
    everything = client.get(reverse("portal:best-practice-list") + "?scope=all")
    by_code = client.get(reverse("portal:best-practice-list") + "?code=1-1")

    faced = {
        code
        for code in ForeignMeasure.objects.filter(
            Q(sectors=batteries) | Q(affects_all_sectors=True),
            marking__in=[Marking.CLEAR, Marking.GREEN],
        ).values_list("threat_categories__code", flat=True)
        if code
    }
    families = {code.split("-")[0] for code in faced}
    expected = BestPractice.objects.filter(threat_categories__code__in=faced | families)
    assert "2-2" in faced and "3-1" in faced
    assert set(mine) == set(expected.distinct()) and mine
    assert len(everything.context["practices"]) == BestPractice.objects.count() == 17
    assert set(by_code.context["practices"]) == set(
        BestPractice.objects.filter(threat_categories__code__in=["1-1"]).distinct()
    )


@pytest.mark.django_db
def test_the_notice_e_mail_frequency_is_set_on_the_account_page(battery_company):
    user = battery_company["user"]
    assert user.notice_frequency == NoticeFrequency.WEEKLY  # the default
    client = signed_in(user)
    response = client.post(
        reverse("portal:account"), {"language": "ja", "notice_frequency": "immediate"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).notice_frequency == NoticeFrequency.IMMEDIATE
    bad = client.post(reverse("portal:account"), {"language": "ja", "notice_frequency": "hourly"})
    assert bad.status_code == 400
    assert User.objects.get(pk=user.pk).notice_frequency == NoticeFrequency.IMMEDIATE
