"""The action tracker: filters, overdue, status with completion note, bulk change, budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import ActionStatus, Marking
from dialogue.models import FollowUpAction
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.query_ceilings import assert_within_ceiling

TODAY = timezone.localdate()


def titles(response) -> list[str]:
    return sorted(a.title for a in response.context["listing"].page.object_list)


@pytest.fixture
def tracked(semiconductors, batteries, semi_official):
    colleague = f.OfficialFactory(username="colleague", sectors=[semiconductors])
    return {
        "mine": f.FollowUpActionFactory(
            title="私の期限切れ",
            sector=semiconductors,
            owner=semi_official,
            due_on=TODAY - datetime.timedelta(days=3),
        ),
        "colleague": f.FollowUpActionFactory(
            title="同僚の来月",
            sector=semiconductors,
            owner=colleague,
            due_on=TODAY + datetime.timedelta(days=30),
            status=ActionStatus.IN_PROGRESS,
        ),
        "done": f.FollowUpActionFactory(
            title="完了済み",
            sector=semiconductors,
            owner=colleague,
            due_on=TODAY - datetime.timedelta(days=10),
            status=ActionStatus.DONE,
        ),
        "other": f.FollowUpActionFactory(title="電池の非公開", sector=batteries),
    }


@pytest.mark.django_db
def test_filters_mine_overdue_status_due_window(as_semi, tracked):
    url = reverse("workspace:action-list")
    assert titles(as_semi.get(url)) == ["同僚の来月", "完了済み", "私の期限切れ"]
    assert titles(as_semi.get(url, {"owner": "me"})) == ["私の期限切れ"]
    assert titles(as_semi.get(url, {"overdue": "true"})) == ["私の期限切れ"]
    assert titles(as_semi.get(url, {"status": "in_progress"})) == ["同僚の来月"]
    window = {"due_after": TODAY.isoformat(), "due_before": (TODAY + datetime.timedelta(60))}
    assert titles(as_semi.get(url, window)) == ["同僚の来月"]
    assert titles(as_semi.get(url, {"sector": "batteries"})) == []
    page = as_semi.get(url, {"sort": "due"}).content.decode()
    assert 'class="is-overdue"' in page
    assert page.count('class="is-overdue"') == 1


@pytest.mark.django_db
def test_closing_needs_a_completion_note_next_to_the_field(as_semi, tracked):
    action = tracked["mine"]
    url = reverse("workspace:action-status", args=[action.pk])
    response = as_semi.post(url, {"status": "done", "completion_note": " ", "version": 1})
    assert response.status_code == 400
    assert response.context["status_form"].errors["completion_note"]
    assert 'id="id_completion_note_errors"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    response = as_semi.post(
        url, {"status": "done", "completion_note": "共有済み", "version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completion_note) == (ActionStatus.DONE, "共有済み")


@pytest.mark.django_db
def test_a_transition_not_allowed_is_a_field_error(as_semi, tracked):
    done = tracked["done"]
    response = as_semi.post(
        reverse("workspace:action-status", args=[done.pk]),
        {"status": "cancelled", "version": done.version},
    )
    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors


@pytest.mark.django_db
def test_stale_status_change_is_refused(as_semi, tracked):
    action = tracked["mine"]
    FollowUpAction.objects.filter(pk=action.pk).update(version=5)
    response = as_semi.post(
        reverse("workspace:action-status", args=[action.pk]),
        {"status": "in_progress", "version": 1},
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_bulk_change_is_all_or_nothing_and_says_why(as_semi, tracked):
    url = reverse("workspace:action-bulk-status")
    mine, colleague, done = tracked["mine"], tracked["colleague"], tracked["done"]
    # "done" cannot be cancelled: nothing changes, and the message names it.
    response = as_semi.post(
        url, {"selected": [mine.pk, colleague.pk, done.pk], "status": "cancelled"}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any(f"#{done.pk}" in text for text in texts)
    assert not any(f"#{mine.pk}" in text for text in texts)
    assert set(FollowUpAction.objects.values_list("status", flat=True)) == {
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
    }
    # Without it, both change in one go.
    as_semi.post(url, {"selected": [mine.pk, colleague.pk], "status": "cancelled"})
    mine.refresh_from_db()
    colleague.refresh_from_db()
    assert mine.status == colleague.status == ActionStatus.CANCELLED


@pytest.mark.django_db
def test_bulk_close_needs_a_note_and_ignores_actions_not_visible(as_semi, tracked):
    url = reverse("workspace:action-bulk-status")
    other = tracked["other"]
    as_semi.post(url, {"selected": [tracked["mine"].pk], "status": "done"})
    tracked["mine"].refresh_from_db()
    assert tracked["mine"].status == ActionStatus.OPEN
    as_semi.post(url, {"selected": [other.pk], "status": "cancelled"})
    other.refresh_from_db()
    assert other.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_another_sectors_official_gets_404(as_batt, tracked):
    action = tracked["mine"]
    assert as_batt.get(reverse("workspace:action-detail", args=[action.pk])).status_code == 404
    response = as_batt.post(
        reverse("workspace:action-status", args=[action.pk]), {"status": "cancelled", "version": 1}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_csrf_is_required(semi_official, tracked):
    client = signed_in(semi_official, enforce_csrf_checks=True)
    action = tracked["mine"]
    response = client.post(
        reverse("workspace:action-status", args=[action.pk]),
        {"status": "in_progress", "version": 1},
    )
    assert response.status_code == 403
    bulk = client.post(
        reverse("workspace:action-bulk-status"), {"selected": [action.pk], "status": "cancelled"}
    )
    assert bulk.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["as_semi", "as_secretariat"])
def test_pages_render(request, who, tracked):
    client = request.getfixturevalue(who)
    for url in [
        reverse("workspace:action-list"),
        reverse("workspace:action-list") + "?owner=me&overdue=true&sort=-due",
        reverse("workspace:action-detail", args=[tracked["mine"].pk]),
        reverse("workspace:action-create"),
        reverse("workspace:action-create") + f"?threat=0&session=1&concern={tracked['mine'].pk}",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_create_an_action_and_titles_are_escaped(as_semi, semi_official, semiconductors):
    response = as_semi.post(
        reverse("workspace:action-create"),
        {
            "title": '"><svg onload=alert(1)>',
            "sector": semiconductors.pk,
            "owner": semi_official.pk,
            "due_on": "2026-12-01",
            "pillar": "protection",
            "priority": "medium",
            "marking": Marking.AMBER,
        },
    )
    assert response.status_code == 302
    for url in (response["Location"], reverse("workspace:action-list")):
        page = as_semi.get(url).content.decode()
        assert "<svg" not in page
        assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page
    bad = as_semi.post(
        reverse("workspace:action-create"),
        {"title": "x", "sector": semiconductors.pk, "owner": semi_official.pk, "due_on": "明日"},
    )
    assert bad.status_code == 200
    assert "due_on" in bad.context["form"].errors
    assert FollowUpAction.objects.count() == 1


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(as_semi, semiconductors, semi_official):
    url = reverse("workspace:action-list")
    f.FollowUpActionFactory(sector=semiconductors, owner=semi_official)
    as_semi.get(url)
    with CaptureQueriesContext(connection) as one:
        as_semi.get(url)
    f.FollowUpActionFactory.create_batch(
        49, sector=semiconductors, due_on=TODAY - datetime.timedelta(days=1)
    )
    with CaptureQueriesContext(connection) as fifty:
        response = as_semi.get(url)
    assert len(response.context["listing"].page.object_list) == 50
    assert len(one.captured_queries) == len(fifty.captured_queries)
    print(f"action list: {len(one)} queries at 1 row, {len(fifty)} at 50")
    assert_within_ceiling("workspace:action-list", len(fifty.captured_queries))


@pytest.mark.django_db
def test_a_red_action_for_an_unnamed_owner_is_refused_next_to_the_owner(
    as_semi, semiconductors, batt_official
):
    # The form names only its author on a RED action; another owner could never see it.
    response = as_semi.post(
        reverse("workspace:action-create"),
        {
            "title": "極秘の対応",
            "sector": semiconductors.pk,
            "owner": batt_official.pk,
            "due_on": "2026-12-01",
            "pillar": "protection",
            "priority": "medium",
            "marking": Marking.RED,
        },
    )
    assert response.status_code == 200  # the form again, with the reason by the owner field
    [error] = response.context["form"].errors["owner"]
    assert "閲覧許可者" in error
    assert "閲覧許可者" in response.content.decode()
    assert not FollowUpAction.objects.exists()


@pytest.mark.django_db
def test_an_action_can_be_edited_and_the_history_shows_what_changed(
    as_semi, semi_official, semiconductors
):
    action = f.FollowUpActionFactory(
        title="取引先への周知", sector=semiconductors, owner=semi_official, due_on=TODAY
    )
    detail = as_semi.get(reverse("workspace:action-detail", args=[action.pk])).content.decode()
    edit_url = reverse("workspace:action-edit", args=[action.pk])
    assert f'href="{edit_url}"' in detail
    form = as_semi.get(edit_url).context["form"]
    data = {
        name: value
        for name, value in {**form.initial, "title": "取引先と業界団体への周知"}.items()
        if value is not None and name != "named_users"
    }
    data["due_on"] = (TODAY + datetime.timedelta(days=30)).isoformat()
    data["version"] = form.fields["version"].initial  # the version the page was read at
    response = as_semi.post(edit_url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "取引先と業界団体への周知"
    assert action.due_on == TODAY + datetime.timedelta(days=30)
    history = as_semi.get(reverse("workspace:action-detail", args=[action.pk])).content.decode()
    assert "取引先への周知" in history and "取引先と業界団体への周知" in history

    data["title"] = "古い版からの変更"  # the version posted is now stale
    response = as_semi.post(edit_url, data)
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.title == "取引先と業界団体への周知"


@pytest.mark.django_db
def test_an_official_of_another_sector_cannot_edit(as_batt, semiconductors, semi_official):
    action = f.FollowUpActionFactory(sector=semiconductors, owner=semi_official)
    edit_url = reverse("workspace:action-edit", args=[action.pk])
    assert as_batt.get(edit_url).status_code in (403, 404)


@pytest.mark.django_db
def test_an_action_from_a_concern_carries_the_threat_it_was_linked_to(as_semi, semiconductors):
    concern = f.ConcernFactory(sector=semiconductors, marking=Marking.GREEN)
    threat = f.ThreatFactory(sector=semiconductors, source_concern=concern, marking=Marking.GREEN)
    url = reverse("workspace:action-create") + f"?concern={concern.pk}"
    form = as_semi.get(url).context["form"]
    assert form.initial["concern"] == concern.pk
    assert form.initial["threat"] == threat.pk
