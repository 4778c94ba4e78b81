"""The workspace's notices: write (with the marking rule as a translated field error),
publish after a confirmation page, withdraw, reach, the list's query budget, search."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import NoticeStatus, SizeClass
from dialogue.models import Notice, NoticeRead
from tests import factories as f
from tests.support.query_ceilings import assert_within_ceiling


def form(sector, **changes) -> dict:
    return {
        "kind": "measure_alert",
        "title_ja": "黒鉛関連品目の輸出管理について",
        "title_en": "On the graphite export control",
        "body_ja": "## 概要\n輸出管理の対象となりました。",
        "body_en": "## Summary\nNow under export control.",
        "audience": "companies",
        "sectors": [sector.pk],
        "size_classes": ["large", "sme"],
        "marking": "GREEN",
        "publish_on": timezone.localdate().isoformat(),
        **changes,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "message"), [("ja", "企業向けの周知"), ("en", "companies")])
def test_a_notice_to_companies_above_green_comes_back_with_a_field_error(
    as_batt, batteries, language, message
):
    as_batt.cookies["django_language"] = language
    response = as_batt.post(
        reverse("workspace:notice-create"),
        form(batteries, marking="AMBER"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["marking"])
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_an_official_drafts_confirms_and_publishes_a_notice(as_batt, batteries):
    org = f.OrganizationFactory(sectors=[batteries], size_class=SizeClass.SME)
    f.OrganizationFactory(sectors=[batteries], size_class=SizeClass.LARGE)

    created = as_batt.post(reverse("workspace:notice-create"), form(batteries))
    notice = Notice.objects.get()
    assert created["Location"] == reverse("workspace:notice-detail", args=[notice.pk])
    assert notice.status == NoticeStatus.DRAFT

    confirm = as_batt.get(reverse("workspace:notice-publish", args=[notice.pk]))
    assert confirm.status_code == 200
    assert confirm.context["reach"].total == 2
    as_batt.post(reverse("workspace:notice-publish", args=[notice.pk]), {"version": notice.version})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED

    NoticeRead.objects.create(notice=notice, user=f.CompanyUserFactory(organization=org))
    reach = as_batt.get(reverse("workspace:notice-reach", args=[notice.pk]))
    rows = {(r.size_class, r.organizations, r.read) for r in reach.context["reach"].rows}
    assert rows == {("large", 1, 0), ("sme", 1, 1)}

    withdraw = reverse("workspace:notice-withdraw", args=[notice.pk])
    asked = as_batt.post(withdraw, {"version": notice.version})
    assert asked.status_code == 200  # asks first: withdrawing cannot be undone
    assert Notice.objects.get().status == NoticeStatus.PUBLISHED
    as_batt.post(withdraw, {"version": notice.version, "confirmed": "yes"})
    assert Notice.objects.get().status == NoticeStatus.WITHDRAWN


@pytest.mark.django_db
def test_another_sectors_official_reads_but_does_not_change(as_semi, batteries):
    notice = f.NoticeFactory(sectors=[batteries], status=NoticeStatus.DRAFT)
    assert as_semi.get(reverse("workspace:notice-detail", args=[notice.pk])).status_code == 200
    assert as_semi.get(reverse("workspace:notice-edit", args=[notice.pk])).status_code == 403
    answer = as_semi.post(
        reverse("workspace:notice-publish", args=[notice.pk]), {"version": notice.version}
    )
    assert answer.status_code == 403
    assert Notice.objects.get().status == NoticeStatus.DRAFT


@pytest.mark.django_db
def test_an_edit_keeps_what_the_form_did_not_change(as_batt, batteries):
    notice = f.NoticeFactory(sectors=[batteries], status=NoticeStatus.DRAFT)
    data = form(batteries, title_en="Corrected title", version=notice.version)
    response = as_batt.post(reverse("workspace:notice-edit", args=[notice.pk]), data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title_en == "Corrected title" and notice.version == 2
    # an edit based on the first version is refused, not silently applied
    data["title_en"] = "Based on an old read"
    stale = as_batt.post(reverse("workspace:notice-edit", args=[notice.pk]), data)
    assert stale.status_code == 409
    assert Notice.objects.get().title_en == "Corrected title"


@pytest.mark.django_db
def test_the_notice_list_costs_the_same_for_one_and_many(
    as_secretariat, batteries, django_assert_max_num_queries
):
    f.NoticeFactory(sectors=[batteries])
    url = reverse("workspace:notice-list")
    as_secretariat.get(url)
    with django_assert_max_num_queries(20) as one:
        assert as_secretariat.get(url).status_code == 200
    f.NoticeFactory.create_batch(30, sectors=[batteries])
    with django_assert_max_num_queries(20) as many:
        assert as_secretariat.get(url).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)
    assert_within_ceiling("workspace:notice-list", len(many.captured_queries))


@pytest.mark.django_db
def test_search_finds_notices_by_their_japanese_and_english_text(as_semi, batteries):
    notice = f.NoticeFactory(
        sectors=[batteries], title_ja="黒鉛の輸出管理", body_en="graphite anode materials"
    )
    for word in ("黒鉛", "anode"):
        groups = as_semi.get(reverse("workspace:search"), {"q": word}).context["groups"]
        found = {g.kind: g.items for g in groups}
        assert found["notices"] == [notice]
