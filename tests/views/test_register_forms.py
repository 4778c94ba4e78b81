"""Create and edit threats and chokepoints through the services: validation, scoping, conflicts."""

import pytest
from django.urls import reverse

from dialogue.enums import Marking, ThreatStatus
from dialogue.models import ChokepointTechnology, Threat
from dialogue.services.threats import threat_update
from tests import factories as f


def threat_data(sector, **overrides) -> dict:
    data = {
        "title": "退職者を通じたノウハウ流出",
        "description": "元技術者が海外企業に転職した。",
        "sector": sector.pk,
        "category": "1-2",
        "likelihood": 4,
        "impact": 5,
        "marking": "AMBER",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_an_official_adds_a_threat_to_their_sector(as_semi, semi_official, semiconductors, code):
    response = as_semi.post(reverse("workspace:threat-create"), threat_data(semiconductors))
    threat = Threat.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:threat-detail", args=[threat.pk])
    assert (threat.category, threat.severity, threat.created_by) == (code("1-2"), 20, semi_official)
    assert threat.history.first().history_user == semi_official
    page = as_semi.get(response["Location"]).content.decode()
    assert "脅威を登録簿に追加しました" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "9-9", "正しく選択してください"),
        ("category", "1", "正しく選択してください"),  # a family, not a code
        ("likelihood", "9", "正しく選択してください"),
        ("impact", "0", "正しく選択してください"),
        ("marking", "PURPLE", "正しく選択してください"),
        ("title", "", "この項目は必須です"),
    ],
)
def test_bad_input_shows_a_japanese_error_by_the_field_and_saves_nothing(
    as_semi, semiconductors, field, value, message
):
    response = as_semi.post(
        reverse("workspace:threat-create"), threat_data(semiconductors, **{field: value})
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    assert Threat.objects.count() == 0


@pytest.mark.django_db
def test_errors_are_english_for_an_english_user(as_semi, semiconductors):
    as_semi.post(reverse("set_language"), {"language": "en"})
    response = as_semi.post(
        reverse("workspace:threat-create"), threat_data(semiconductors, marking="PURPLE")
    )
    assert "Select a valid choice" in response.context["form"].errors["marking"][0]


@pytest.mark.django_db
def test_only_my_sectors_are_offered_and_others_are_refused(as_semi, semiconductors, batteries):
    page = as_semi.get(reverse("workspace:threat-create"))
    offered = list(page.context["form"].fields["sector"].queryset)
    assert offered == [semiconductors]
    response = as_semi.post(reverse("workspace:threat-create"), threat_data(batteries))
    assert "sector" in response.context["form"].errors
    assert Threat.objects.count() == 0


@pytest.mark.django_db
def test_a_red_threat_always_names_its_author(as_semi, semi_official, semiconductors):
    as_semi.post(reverse("workspace:threat-create"), threat_data(semiconductors, marking="RED"))
    threat = Threat.objects.get()
    assert list(threat.named_users.all()) == [semi_official]
    assert as_semi.get(reverse("workspace:threat-detail", args=[threat.pk])).status_code == 200


@pytest.mark.django_db
def test_making_a_threat_red_names_the_editor(as_semi, semi_official, semiconductors):
    threat = f.ThreatFactory(sector=semiconductors, category__code="1-2")
    url = reverse("workspace:threat-edit", args=[threat.pk])
    response = as_semi.post(url, threat_data(semiconductors, marking="RED", version=1))
    assert response.status_code == 302
    threat.refresh_from_db()
    assert threat.marking == Marking.RED
    assert list(threat.named_users.all()) == [semi_official]
    assert as_semi.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_start_a_threat_from_a_concern(as_semi, semiconductors, code):
    concern = f.ConcernFactory(sector=semiconductors, category=code("2-2"))
    page = as_semi.get(reverse("workspace:threat-create"), {"concern": concern.pk})
    form = page.context["form"]
    assert form.initial["source_concern"] == concern
    assert form.initial["category"] == "2-2"


@pytest.mark.django_db
def test_editing_saves_only_changed_fields_and_bumps_the_version(as_semi, semiconductors, code):
    threat = f.ThreatFactory(title="元の題名", sector=semiconductors, category=code("1-2"))
    url = reverse("workspace:threat-edit", args=[threat.pk])
    form = as_semi.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(title="新しい題名", category="1-2", version=1)
    response = as_semi.post(url, data)
    assert response.status_code == 302
    threat.refresh_from_db()
    assert (threat.title, threat.version) == ("新しい題名", 2)


@pytest.mark.django_db
def test_a_stale_edit_shows_a_conflict_and_overwrites_nothing(
    as_semi, semi_official, semiconductors, code
):
    threat = f.ThreatFactory(title="最初の題名", sector=semiconductors, category=code("1-2"))
    # given: someone else saves after we opened the form at version 1
    threat_update(
        threat=threat, actor=semi_official, changes={"title": "他の人の題名"}, expected_version=1
    )
    # when: we save our version-1 form
    response = as_semi.post(
        reverse("workspace:threat-edit", args=[threat.pk]),
        threat_data(semiconductors, title="私の題名", version=1),
    )
    # then
    assert response.status_code == 409
    page = response.content.decode()
    assert "編集中に他の人がこの記録を保存しました" in page
    assert "他の人の題名" in page and "私の題名" in page
    assert response.context["form"]["version"].value() == "2"
    threat.refresh_from_db()
    assert (threat.title, threat.version, threat.likelihood) == ("他の人の題名", 2, 3)


@pytest.mark.django_db
def test_the_edit_page_sends_the_version_and_an_edit_without_it_saves_nothing(
    as_semi, semiconductors, code
):
    threat = f.ThreatFactory(title="最初の題名", sector=semiconductors, category=code("1-2"))
    url = reverse("workspace:threat-edit", args=[threat.pk])
    assert 'type="hidden" name="version" value="1"' in as_semi.get(url).content.decode()

    response = as_semi.post(url, threat_data(semiconductors, title="版なしの題名"))

    assert response.status_code == 200  # the form again, with its error
    assert "version" in response.context["form"].errors
    threat.refresh_from_db()
    assert (threat.title, threat.version) == ("最初の題名", 1)


@pytest.mark.django_db
def test_links_the_editor_cannot_see_are_kept(as_semi, semiconductors, batteries):
    hidden = f.ChokepointFactory(sector=batteries, marking=Marking.AMBER)
    mine = f.ChokepointFactory(sector=semiconductors)
    threat = f.ThreatFactory(sector=semiconductors)
    threat.chokepoints.set([hidden])
    url = reverse("workspace:threat-edit", args=[threat.pk])
    response = as_semi.post(
        url, threat_data(semiconductors, title="題名を変更", chokepoints=[mine.pk], version=1)
    )
    assert response.status_code == 302
    assert set(threat.chokepoints.all()) == {hidden, mine}


@pytest.mark.django_db
def test_status_changes_follow_the_workflow(as_semi, semiconductors):
    threat = f.ThreatFactory(sector=semiconductors)
    url = reverse("workspace:threat-status", args=[threat.pk])
    detail = reverse("workspace:threat-detail", args=[threat.pk])

    response = as_semi.post(url, {"status": "mitigating", "version": 1})
    assert response["Location"] == detail
    threat.refresh_from_db()
    assert (threat.status, threat.version) == (ThreatStatus.MITIGATING, 2)

    # stale version: refused with a message
    as_semi.post(url, {"status": "closed", "version": 1})
    threat.refresh_from_db()
    assert threat.status == ThreatStatus.MITIGATING
    # not an allowed next status
    response = as_semi.post(url, {"status": "identified", "version": 2}, follow=True)
    threat.refresh_from_db()
    assert threat.status == ThreatStatus.MITIGATING
    assert as_semi.get(url).status_code == 405


@pytest.mark.django_db
def test_chokepoint_create_edit_and_conflict(as_semi, semi_official, semiconductors):
    data = {
        "name": "高純度フッ化水素",
        "sector": semiconductors.pk,
        "stage": "upstream",
        "world_share_pct": "70",
        "outflow_concern": "high",
        "process_stage": "extraction",
        "marking": "AMBER",
    }
    response = as_semi.post(reverse("workspace:chokepoint-create"), data)
    chokepoint = ChokepointTechnology.objects.get(name="高純度フッ化水素")
    assert response["Location"] == reverse("workspace:chokepoint-detail", args=[chokepoint.pk])
    assert chokepoint.created_by == semi_official

    bad = as_semi.post(reverse("workspace:chokepoint-create"), {**data, "world_share_pct": "130"})
    assert "world_share_pct" in bad.context["form"].errors
    assert "100 以下" in bad.context["form"].errors["world_share_pct"][0]

    url = reverse("workspace:chokepoint-edit", args=[chokepoint.pk])
    assert as_semi.post(url, {**data, "world_share_pct": "72", "version": 1}).status_code == 302
    stale = as_semi.post(url, {**data, "world_share_pct": "75", "version": 1})
    assert stale.status_code == 409
    chokepoint.refresh_from_db()
    assert (chokepoint.world_share_pct, chokepoint.version) == (72, 2)


@pytest.mark.django_db
def test_a_conflict_never_names_linked_records_the_editor_cannot_see(
    as_semi, semi_official, semiconductors, batteries
):
    hidden = f.ChokepointFactory(name="蓄電池の非公開技術", sector=batteries)
    mine = f.ChokepointFactory(name="半導体の技術", sector=semiconductors)
    threat = f.ThreatFactory(sector=semiconductors, category__code="1-2")
    threat.chokepoints.set([hidden])
    threat_update(threat=threat, actor=semi_official, changes={"impact": 5}, expected_version=1)

    response = as_semi.post(
        reverse("workspace:threat-edit", args=[threat.pk]),
        threat_data(semiconductors, chokepoints=[mine.pk], version=1),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "蓄電池の非公開技術" not in page
    assert "（表示できません）" in page
    assert set(threat.chokepoints.all()) == {hidden}


@pytest.mark.django_db
def test_a_near_duplicate_threat_is_noticed_before_it_is_added(as_semi, semiconductors, code):
    existing = f.ThreatFactory(
        title="退職技術者を通じた製造ノウハウの流出", sector=semiconductors, category=code("1-2")
    )
    form = {
        "title": "退職技術者経由の製造ノウハウ流出",
        "sector": semiconductors.pk,
        "category": "1-2",
        "likelihood": 3,
        "impact": 4,
        "marking": "AMBER",
    }
    url = reverse("workspace:threat-create")

    first = as_semi.post(url, form)

    assert first.status_code == 200
    page = first.content.decode()
    assert f'href="/threats/{existing.pk}/"' in page
    assert 'name="not_a_duplicate"' in page and 'type="checkbox"' in page
    assert Threat.objects.count() == 1

    # Ticked: it is a different threat, and it is added.
    second = as_semi.post(url, {**form, "not_a_duplicate": "on"})
    assert second.status_code == 302
    assert Threat.objects.count() == 2


@pytest.mark.django_db
def test_an_unrelated_title_is_added_at_once(as_semi, semiconductors, code):
    f.ThreatFactory(
        title="退職技術者を通じた製造ノウハウの流出", sector=semiconductors, category=code("1-2")
    )
    response = as_semi.post(
        reverse("workspace:threat-create"),
        {
            "title": "高純度原料の供給途絶",
            "sector": semiconductors.pk,
            "category": "2-1",
            "likelihood": 3,
            "impact": 4,
            "marking": "AMBER",
        },
    )
    assert response.status_code == 302
