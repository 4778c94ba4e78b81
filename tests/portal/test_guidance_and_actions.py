"""Alerts and guidance in the user's language; follow-up actions owned by the company side."""

import pytest
from django.urls import reverse

from dialogue.enums import ActionStatus, Marking
from dialogue.models import BestPractice, ForeignMeasure
from tests import factories as f
from tests.support.auth import signed_in

GUIDANCE = reverse("portal:guidance")


# --- alerts and guidance -----------------------------------------------------------------


@pytest.mark.django_db
def test_foreign_measures_for_my_sectors_in_my_language(world):
    gallium = ForeignMeasure.objects.get(reference_key="cn-export-control-gallium-germanium")
    drones = ForeignMeasure.objects.get(reference_key="cn-export-control-drones")  # aircraft parts
    client = signed_in(world["a"])

    japanese = client.get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = client.get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert gallium.title_ja in japanese and gallium.title_en not in japanese
    assert gallium.title_en in english and gallium.title_ja not in english
    assert gallium.description_en in english
    assert drones.title_ja not in japanese and drones.title_en not in english


@pytest.mark.django_db
def test_measures_marked_above_green_or_for_other_sectors_stay_hidden(world, batteries):
    semiconductors = world["concern"].sector
    amber = ForeignMeasure.objects.create(
        country_code="US",
        kind="export_control",
        title_ja="非公開の措置",
        title_en="restricted measure",
        marking=Marking.AMBER,
    )
    amber.sectors.set([semiconductors])
    green_elsewhere = ForeignMeasure.objects.create(
        country_code="US",
        kind="export_control",
        title_ja="他分野のGREEN措置",
        title_en="green elsewhere",
        marking=Marking.GREEN,
    )
    green_elsewhere.sectors.set([batteries])
    green_here = ForeignMeasure.objects.create(
        country_code="US",
        kind="export_control",
        title_ja="自分野のGREEN措置",
        title_en="green here",
        marking=Marking.GREEN,
    )
    green_here.sectors.set([semiconductors])

    page = signed_in(world["a"]).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "非公開の措置" not in page
    assert "他分野のGREEN措置" not in page
    assert "自分野のGREEN措置" in page


@pytest.mark.django_db
def test_measures_affecting_all_sectors_reach_every_sector(world, batteries):
    export_control_law = ForeignMeasure.objects.get(reference_key="cn-export-control-law")
    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")
    gallium = ForeignMeasure.objects.get(reference_key="cn-export-control-gallium-germanium")
    battery_maker = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[batteries]))

    semiconductor_page = signed_in(world["a"]).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="ja")
    battery_page = signed_in(battery_maker).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="ja")

    semiconductor_page, battery_page = (
        semiconductor_page.content.decode(),
        battery_page.content.decode(),
    )
    assert export_control_law.title_ja in semiconductor_page
    assert export_control_law.title_ja in battery_page
    assert "産業分野: 全分野" in battery_page
    assert graphite.title_ja in battery_page and graphite.title_ja not in semiconductor_page
    assert gallium.title_ja in semiconductor_page and gallium.title_ja not in battery_page


@pytest.mark.django_db
def test_a_green_measure_for_all_sectors_reaches_companies_active_in_a_sector(world):
    measure = ForeignMeasure.objects.create(
        country_code="US",
        kind="other",
        title_ja="全分野のGREEN措置",
        title_en="green for all",
        marking=Marking.GREEN,
        affects_all_sectors=True,
    )
    no_sector = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[]))

    assert measure.title_ja in signed_in(world["a"]).get(GUIDANCE).content.decode()
    assert measure.title_ja not in signed_in(no_sector).get(GUIDANCE).content.decode()


@pytest.mark.django_db
def test_measure_dates_read_as_the_plan_gives_them(world):
    client = signed_in(world["a"])

    japanese = client.get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = client.get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "2023年8月1日施行" in japanese  # gallium and germanium: the day is known
    assert "2020年12月施行" in japanese  # export control law: 「20年12月施行」
    assert "2020/12/01" not in japanese and "2020年12月1日" not in japanese
    assert "施行予定（2023年8月公表）" in japanese  # outbound investment order
    assert "2023年6月20日公表" in japanese  # EU economic security strategy: published
    assert "in force from December 2020" in english
    assert "planned, not yet in force (announced August 2023)" in english
    assert "published 20 June 2023" in english


@pytest.mark.django_db
def test_the_latest_measures_on_the_home_page_are_dated_ones(world):
    page = signed_in(world["a"]).get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="ja")

    shown = list(page.context["measures"])
    assert len(shown) == 3
    assert all(measure.effective_on for measure in shown)
    assert shown == sorted(shown, key=lambda m: m.effective_on, reverse=True)


@pytest.mark.django_db
def test_best_practices_follow_the_threat_codes_of_my_concerns(world, code):
    linked = BestPractice.objects.filter(threat_categories__code="2-2").distinct()
    unlinked = BestPractice.objects.exclude(threat_categories__code__startswith="2-").first()
    assert linked.exists() and unlinked is not None

    english = signed_in(world["a"]).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for practice in linked:
        assert practice.title_en in english
    assert unlinked.title_en not in english
    # Company B has no concern yet: no practices, and nothing of A's codes.
    b_page = signed_in(world["b"]).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(p.title_en not in b_page for p in linked)


@pytest.mark.django_db
def test_a_family_code_brings_the_practices_of_its_codes(world, code):
    f.ConcernFactory(
        organization=world["org_b"],
        submitted_by=world["b"],
        sector=world["concern"].sector,
        category=code("1"),
    )
    practice = BestPractice.objects.filter(threat_categories__code="1-2").first()
    page = signed_in(world["b"]).get(GUIDANCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert practice.title_en in page


# --- follow-up actions ----------------------------------------------------------------------


def status_url(action):
    return reverse("portal:action-status", kwargs={"pk": action.pk})


@pytest.mark.django_db
def test_the_owner_sees_the_action_and_moves_it_along(world):
    action = world["action"]
    client = signed_in(world["a"])
    assert action.title in client.get(reverse("portal:action-list")).content.decode()

    response = client.post(
        status_url(action), {"status": ActionStatus.IN_PROGRESS, "version": action.version}
    )

    action.refresh_from_db()
    assert response.status_code == 302
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.history.first().history_user == world["a"]


@pytest.mark.django_db
def test_closing_as_done_needs_a_note_which_is_kept(world):
    action = world["action"]
    client = signed_in(world["a"])

    refused = client.post(
        status_url(action),
        {"status": ActionStatus.DONE, "version": action.version},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    accepted = client.post(
        status_url(action),
        {
            "status": ActionStatus.DONE,
            "version": action.version,
            "note": "代替調達先2社と契約済み。",
        },
    )

    assert refused.status_code == 400
    assert "Describe what was done before closing the action." in refused.content.decode()
    action.refresh_from_db()
    assert accepted.status_code == 302
    assert action.status == ActionStatus.DONE
    assert action.completion_note == "代替調達先2社と契約済み。"
    page = client.get(reverse("portal:action-detail", kwargs={"pk": action.pk})).content.decode()
    assert "代替調達先2社と契約済み。" in page


@pytest.mark.django_db
def test_a_note_with_another_status_is_refused_rather_than_lost(world):
    action = world["action"]
    response = signed_in(world["a"]).post(
        status_url(action),
        {"status": ActionStatus.IN_PROGRESS, "version": action.version, "note": "途中経過"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_a_stale_form_does_not_overwrite_a_change_made_meanwhile(world):
    action = world["action"]
    response = signed_in(world["a"]).post(
        status_url(action),
        {"status": ActionStatus.IN_PROGRESS, "version": action.version + 5},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The action changed while you were looking at it." in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_a_transition_the_workflow_does_not_allow_is_refused(world):
    action = world["action"]
    response = signed_in(world["a"]).post(
        status_url(action), {"status": ActionStatus.OPEN, "version": action.version}
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_colleagues_see_the_organizations_action_but_only_the_owner_changes_it(world):
    action = world["action"]
    client = signed_in(world["a_colleague"])
    page = client.get(reverse("portal:action-detail", kwargs={"pk": action.pk})).content.decode()
    assert action.title in page
    assert status_url(action) not in page
    response = client.post(
        status_url(action), {"status": ActionStatus.IN_PROGRESS, "version": action.version}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_a_red_action_is_seen_by_its_owner_only_when_they_are_named(world):
    # RED is for its named people: naming nobody, not even its owner sees it.
    red = f.FollowUpActionFactory(
        title="赤のアクション",
        sector=world["concern"].sector,
        owner=world["a"],
        owner_organization=world["org_a"],
        marking=Marking.RED,
    )

    def status_for(user) -> int:
        url = reverse("portal:action-detail", kwargs={"pk": red.pk})
        return signed_in(user).get(url).status_code

    assert (status_for(world["a"]), status_for(world["a_colleague"])) == (404, 404)
    red.named_users.add(world["a"])
    assert (status_for(world["a"]), status_for(world["a_colleague"])) == (200, 404)
