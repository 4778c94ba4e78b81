"""Dialogue sessions: the one-form flow (all or nothing), list, detail, status, safety, budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dialogue.enums import Marking, SessionStatus
from dialogue.models import ChokepointTechnology, DialogueSession, FollowUpAction, Threat
from dialogue.services.sessions import session_update
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.query_ceilings import assert_within_ceiling

ROWS = 5


def management(prefix: str, total: int = ROWS) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def session_post(semiconductors, owner, **overrides) -> dict:
    """The semiconductor session of DOMAIN.md flow 1, as the form posts it."""
    photoresist = ChokepointTechnology.objects.filter(name__contains="レジスト").first()
    data = {
        "title": "半導体分野 戦略的対話（第3回）",
        "sectors": [semiconductors.pk],
        "held_on": "2026-11-20",
        "format": "industry_roundtable",
        "marking": "AMBER",
        "minutes": "## 概要\n\n- 退職者を通じた技術流出\n- 原料の供給途絶",
        "chokepoints": [photoresist.pk] if photoresist else [],
        **management("participants"),
        "participants-0-name": "山田 太郎",
        "participants-0-affiliation": "経済産業省 製造産業局",
        "participants-1-name": "佐藤 花子",
        "participants-1-affiliation": "技術管理部長",
        **management("agenda"),
        "agenda-0-topic": "chokepoints",
        "agenda-0-note": "フォトレジストの流出懸念",
        "agenda-1-topic": "other",
        "agenda-1-note": "自由記述の議題",
        **management("threats"),
        "threats-0-title": "退職技術者を通じた製造ノウハウの流出",
        "threats-0-code": "1-2",
        "threats-0-likelihood": "4",
        "threats-0-impact": "5",
        "threats-1-title": "高純度原料の供給途絶",
        "threats-1-code": "2-1",
        "threats-1-likelihood": "3",
        "threats-1-impact": "4",
        **management("actions"),
        "actions-0-title": "退職時の秘密保持手続きの共有",
        "actions-0-owner": str(owner.pk),
        "actions-0-due_on": "2026-12-15",
        "actions-0-pillar": "protection",
        "actions-1-title": "代替調達先の調査",
        "actions-1-owner": str(owner.pk),
        "actions-1-due_on": "2027-01-31",
        "actions-1-pillar": "promotion",
        "actions-2-title": "同志国との情報共有",
        "actions-2-owner": str(owner.pk),
        "actions-2-due_on": "2027-02-28",
        "actions-2-pillar": "partnership",
    }
    data.update(overrides)
    return data


def nothing_saved():
    assert DialogueSession.objects.count() == 0
    assert Threat.objects.count() == 0
    assert FollowUpAction.objects.count() == 0


@pytest.mark.django_db
def test_the_whole_session_is_recorded_in_one_form(as_semi, semi_official, semiconductors):
    response = as_semi.post(
        reverse("workspace:session-create"), session_post(semiconductors, semi_official)
    )
    assert response.status_code == 302
    session = DialogueSession.objects.get()
    assert response["Location"] == reverse("workspace:session-detail", args=[session.pk])
    assert [p.name for p in session.participants.all()] == ["山田 太郎", "佐藤 花子"]
    assert [a.topic for a in session.agenda_items.all()] == ["chokepoints", "other"]
    threats = Threat.objects.filter(source_session=session).order_by("category__code")
    assert [(t.category.code, t.severity) for t in threats] == [("1-2", 20), ("2-1", 12)]
    assert {t.sector for t in threats} == {semiconductors}
    actions = FollowUpAction.objects.filter(session=session).order_by("due_on")
    assert [a.due_on for a in actions] == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 31),
        datetime.date(2027, 2, 28),
    ]
    assert session.chokepoints.filter(name__contains="レジスト").exists()

    detail = as_semi.get(response["Location"])
    page = detail.content.decode()
    assert "<h3>概要</h3>" in page  # "## 概要" just under the card's h2
    assert "退職技術者を通じた製造ノウハウの流出" in page
    assert "代替調達先の調査" in page
    assert "山田 太郎" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message_en"),
    [
        ("threats-1-code", "9-9", "Select a valid choice"),
        ("threats-0-likelihood", "9", "Select a valid choice"),
        ("actions-1-due_on", "来月", "Enter a valid date"),
        ("participants-0-name", "", None),
    ],
)
def test_any_bad_row_saves_nothing_and_shows_the_message_next_to_the_field(
    as_semi, semi_official, semiconductors, field, value, message_en
):
    data = session_post(semiconductors, semi_official, **{field: value})
    if field == "participants-0-name":
        # A started row (affiliation filled) without a name is incomplete.
        data["participants-0-affiliation"] = "所属のみ"
    with translation.override("en"):
        response = as_semi.post(
            reverse("workspace:session-create"), data, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    nothing_saved()
    prefix, index, name = field.split("-")
    form = response.context["formsets"][prefix].forms[int(index)]
    assert name in form.errors
    if message_en:
        with translation.override("en"):
            assert message_en in " ".join(str(e) for e in form.errors[name])
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    # The user's input is kept.
    assert "退職技術者を通じた製造ノウハウの流出" in page


@pytest.mark.django_db
def test_a_row_refused_by_the_service_rolls_back_the_session(
    as_semi, semi_official, semiconductors, batteries
):
    # The owner is fine, but a threat row for a sector the official does not manage is refused
    # by the form (not a choice); a session sector outside theirs is refused too.
    data = session_post(semiconductors, semi_official, sectors=[batteries.pk])
    response = as_semi.post(reverse("workspace:session-create"), data)
    assert response.status_code == 200
    assert "sectors" in response.context["form"].errors
    nothing_saved()


@pytest.mark.django_db
def test_a_row_the_service_refuses_is_named_next_to_its_field(
    as_semi, semi_official, semiconductors
):
    # In a RED session the rows name only its author: an action for a colleague is refused.
    colleague = f.OfficialFactory(username="colleague", sectors=[semiconductors])
    data = session_post(
        semiconductors, semi_official, marking="RED", **{"actions-1-owner": str(colleague.pk)}
    )
    response = as_semi.post(reverse("workspace:session-create"), data)
    assert response.status_code == 200
    nothing_saved()
    actions = response.context["formsets"]["actions"].forms
    assert "owner" in actions[1].errors
    assert not actions[0].errors
    assert 'id="id_actions-1-owner_errors"' in response.content.decode()


@pytest.mark.django_db
def test_the_form_starts_with_one_row_per_table_and_an_add_row_button(as_semi):
    page = as_semi.get(reverse("workspace:session-create")).content.decode()
    for prefix in ("participants", "agenda", "threats", "actions"):
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in page
        assert f'name="{prefix}-0-' in page and f'name="{prefix}-1-' not in page
        # the row the add-row script copies
        assert f'name="{prefix}-__prefix__-' in page
    assert "dialogue/js/formset.js" in page
    # the threat code is a choice, grouped by the plan's families
    assert '<optgroup label="1 ' in page and '<option value="1-2">' in page


@pytest.mark.django_db
def test_script_in_minutes_and_titles_never_executes(as_semi, semi_official, semiconductors):
    attacks = [
        "<script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        "＜script＞alert(1)＜/script＞",
    ]
    data = session_post(
        semiconductors,
        semi_official,
        title=attacks[1],
        minutes="\n\n".join([*attacks, "[x](javascript:alert(1))"]),
        **{"threats-0-title": attacks[0], "actions-0-title": attacks[1]},
    )
    response = as_semi.post(reverse("workspace:session-create"), data)
    assert response.status_code == 302
    page = as_semi.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    assert "<svg" not in page
    assert "onload=alert" not in page.replace("onload=alert(1)&gt;", "")
    assert "javascript:" not in page
    assert "&lt;script&gt;" in page  # the title in the threat table, escaped
    assert "＜script＞" in page  # full-width brackets are just text
    listing = as_semi.get(reverse("workspace:session-list")).content.decode()
    assert "<svg" not in listing


@pytest.mark.django_db
def test_edit_keeps_rows_and_a_stale_edit_is_a_conflict(as_semi, semi_official, semiconductors):
    as_semi.post(reverse("workspace:session-create"), session_post(semiconductors, semi_official))
    session = DialogueSession.objects.get()
    url = reverse("workspace:session-edit", args=[session.pk])
    form_page = as_semi.get(url)
    assert form_page.status_code == 200
    assert "山田 太郎" in form_page.content.decode()

    # Someone else saves in between.
    session_update(session=session, actor=semi_official, changes={"title": "他の人の変更"})
    data = {
        "title": "私の変更",
        "sectors": [semiconductors.pk],
        "held_on": "2026-11-20",
        "format": "industry_roundtable",
        "marking": "AMBER",
        "minutes": "",
        "version": "1",
        **management("participants", 1),
        "participants-0-name": "山田 太郎",
        **management("agenda", 0),
        **management("threats", 0),
        **management("actions", 0),
    }
    stale = as_semi.post(url, data)
    assert stale.status_code == 409
    assert stale.context["conflict"]["current"] == 2
    session.refresh_from_db()
    assert session.title == "他の人の変更"

    data["version"] = "2"
    saved = as_semi.post(url, data)
    assert saved.status_code == 302
    session.refresh_from_db()
    assert session.title == "私の変更"
    assert [p.name for p in session.participants.all()] == ["山田 太郎"]


@pytest.mark.django_db
def test_status_buttons_move_planned_held_approved(as_semi, semiconductors):
    session = f.DialogueSessionFactory(sectors=[semiconductors])
    url = reverse("workspace:session-status", args=[session.pk])
    detail = as_semi.get(reverse("workspace:session-detail", args=[session.pk]))
    assert 'value="held"' in detail.content.decode()
    as_semi.post(url, {"status": "held", "version": 1})
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    # Skipping back is refused with a message, not an error page.
    response = as_semi.post(url, {"status": "planned", "version": session.version})
    assert response.status_code == 302
    as_semi.post(url, {"status": "minutes_approved", "version": session.version})
    session.refresh_from_db()
    assert session.status == SessionStatus.MINUTES_APPROVED


@pytest.mark.django_db
def test_another_sectors_official_gets_404(as_batt, semiconductors):
    session = f.DialogueSessionFactory(sectors=[semiconductors], marking=Marking.AMBER)
    for name in ("session-detail", "session-edit"):
        assert as_batt.get(reverse(f"workspace:{name}", args=[session.pk])).status_code == 404
    status = as_batt.post(
        reverse("workspace:session-status", args=[session.pk]), {"status": "held", "version": 1}
    )
    assert status.status_code == 404


@pytest.mark.django_db
def test_csrf_is_required(semi_official, semiconductors):
    client = signed_in(semi_official, enforce_csrf_checks=True)
    response = client.post(
        reverse("workspace:session-create"), session_post(semiconductors, semi_official)
    )
    assert response.status_code == 403
    nothing_saved()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["as_semi", "as_secretariat"])
def test_pages_render_for_officials_and_the_secretariat(request, who, semiconductors):
    client = request.getfixturevalue(who)
    session = f.DialogueSessionFactory(sectors=[semiconductors], minutes="# 議事録")
    for url in [
        reverse("workspace:session-list"),
        reverse("workspace:session-list") + "?status=planned&sector=semiconductors",
        reverse("workspace:session-create"),
        reverse("workspace:session-detail", args=[session.pk]),
        reverse("workspace:session-edit", args=[session.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_list_filters(as_semi, semiconductors, batteries):
    f.DialogueSessionFactory(title="半導体ヒアリング", sectors=[semiconductors])
    f.DialogueSessionFactory(
        title="国際対話", sectors=[semiconductors], format="international", status="held"
    )
    f.DialogueSessionFactory(title="電池の非公開", sectors=[batteries])
    url = reverse("workspace:session-list")

    def titles(params=None):
        return sorted(s.title for s in as_semi.get(url, params).context["listing"].page)

    assert titles() == ["半導体ヒアリング", "国際対話"]
    assert titles({"format": "international"}) == ["国際対話"]
    assert titles({"status": "held"}) == ["国際対話"]
    assert titles({"search": "ヒアリング"}) == ["半導体ヒアリング"]
    assert titles({"held_after": "2099-01-01"}) == []


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(as_semi, semiconductors, batteries):
    url = reverse("workspace:session-list")
    f.DialogueSessionFactory(sectors=[semiconductors, batteries])
    as_semi.get(url)
    with CaptureQueriesContext(connection) as one:
        assert as_semi.get(url).status_code == 200
    f.DialogueSessionFactory.create_batch(49, sectors=[semiconductors, batteries])
    with CaptureQueriesContext(connection) as fifty:
        response = as_semi.get(url)
    assert len(response.context["listing"].page.object_list) == 50
    assert len(one.captured_queries) == len(fifty.captured_queries)
    print(f"session list: {len(one)} queries at 1 row, {len(fifty)} at 50")
    assert_within_ceiling("workspace:session-list", len(fifty.captured_queries))


@pytest.mark.django_db
def test_the_error_box_lists_a_bad_row_and_links_to_its_field(
    as_semi, semi_official, semiconductors
):
    """A threat code that is not one of the choices in the second new-threat row: the box
    at the top names the section, the row and the field, gives the message and links to
    the field."""
    data = session_post(semiconductors, semi_official, **{"threats-1-code": "9-9"})
    data.update({"threats-1-title": "二件目", "threats-1-likelihood": "2", "threats-1-impact": "2"})
    page = as_semi.post(reverse("workspace:session-create"), data).content.decode()
    summary = page.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert "以下のエラーを修正してください。内容は保存されていません。" in summary
    link = '<a href="#id_threats-1-code">新たに特定された脅威 2 行目：脅威コード</a>'
    assert link in summary
    assert "正しく選択してください" in summary
    assert 'id="id_threats-1-code"' in page  # the link's target exists
    nothing_saved()
