"""Who may use the workspace: officials only; 404 for what is not visible, 403 for what is
visible but not theirs to change. Walks every workspace URL, so a new page is covered."""

import pytest
from django.urls import URLPattern, reverse

from dialogue import urls as workspace_urls
from dialogue.enums import Marking
from tests import factories as f
from tests.support.auth import signed_in

# Pages anyone may open (the sign-in page) or that refuse GET for everyone (sign-out is POST).
PUBLIC = {"login", "logout"}


def workspace_patterns() -> list[URLPattern]:
    return [p for p in workspace_urls.urlpatterns if isinstance(p, URLPattern)]


def sample_url(pattern: URLPattern, *, threat, chokepoint) -> str:
    route = str(pattern.pattern)
    kwargs = {}
    if "<int:pk>" in route:
        kwargs["pk"] = chokepoint.pk if pattern.name.startswith("chokepoint") else threat.pk
    if "<slug:code>" in route:
        kwargs["code"] = "semiconductors"
    if "<int:number>" in route:  # a concern's referral, by its number within the concern
        kwargs["number"] = 1
    if "<slug:kind>" in route:  # what a tracker import takes in
        kwargs["kind"] = "threats"
    return reverse(f"workspace:{pattern.name}", kwargs=kwargs)


@pytest.fixture
def records(semiconductors):
    return {
        "threat": f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN),
        "chokepoint": f.ChokepointFactory(sector=semiconductors, marking=Marking.GREEN),
    }


@pytest.mark.django_db
def test_every_workspace_page_sends_anonymous_visitors_to_sign_in(client, records):
    for pattern in workspace_patterns():
        if pattern.name in PUBLIC:
            continue
        url = sample_url(pattern, **records)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("workspace:login") + "?next="), url


@pytest.mark.django_db
def test_company_users_are_sent_to_the_portal_from_every_workspace_page(company_user, records):
    client = signed_in(company_user)
    for pattern in workspace_patterns():
        if pattern.name in PUBLIC:
            continue
        url = sample_url(pattern, **records)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"] == "/portal/", url


@pytest.mark.django_db
def test_a_company_user_who_signs_in_here_lands_on_the_portal(client, company_user):
    response = client.post(
        reverse("workspace:login"),
        {"username": company_user.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


@pytest.mark.django_db
def test_workspace_pages_are_never_cached(as_semi):
    response = as_semi.get(reverse("workspace:dashboard"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


PAGES = [
    "workspace:dashboard",
    "workspace:sector-list",
    "workspace:threat-list",
    "workspace:threat-create",
    "workspace:chokepoint-list",
    "workspace:chokepoint-create",
    "workspace:search",
    "workspace:password-change",
]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["as_semi", "as_secretariat"])
def test_every_page_renders_for_a_sector_official_and_the_secretariat(request, who, records):
    client = request.getfixturevalue(who)
    threat, chokepoint = records["threat"], records["chokepoint"]
    urls = [reverse(name) for name in PAGES] + [
        reverse("workspace:search") + "?q=退職",
        reverse("workspace:sector-detail", args=["semiconductors"]),
        reverse("workspace:sector-detail", args=["computing"]),
        reverse("workspace:threat-detail", args=[threat.pk]),
        reverse("workspace:threat-edit", args=[threat.pk]),
        reverse("workspace:chokepoint-detail", args=[chokepoint.pk]),
        reverse("workspace:chokepoint-edit", args=[chokepoint.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<html lang="ja">' in response.content, url


@pytest.mark.django_db
def test_an_official_of_another_sector_gets_404_for_amber_records(as_batt, semiconductors):
    threat = f.ThreatFactory(sector=semiconductors, marking=Marking.AMBER)
    chokepoint = f.ChokepointFactory(sector=semiconductors, marking=Marking.AMBER_STRICT)
    for url in [
        reverse("workspace:threat-detail", args=[threat.pk]),
        reverse("workspace:threat-edit", args=[threat.pk]),
        reverse("workspace:chokepoint-detail", args=[chokepoint.pk]),
        reverse("workspace:chokepoint-edit", args=[chokepoint.pk]),
    ]:
        assert as_batt.get(url).status_code == 404, url
    status_url = reverse("workspace:threat-status", args=[threat.pk])
    assert as_batt.post(status_url, {"status": "closed", "version": 1}).status_code == 404


@pytest.mark.django_db
def test_a_red_record_is_404_even_for_the_secretariat_unless_named(
    as_secretariat, secretariat, semiconductors
):
    hidden = f.ThreatFactory(sector=semiconductors, marking=Marking.RED)
    named = f.ThreatFactory(sector=semiconductors, marking=Marking.RED, named_users=[secretariat])
    assert (
        as_secretariat.get(reverse("workspace:threat-detail", args=[hidden.pk])).status_code == 404
    )
    assert (
        as_secretariat.get(reverse("workspace:threat-detail", args=[named.pk])).status_code == 200
    )


@pytest.mark.django_db
def test_visible_but_not_mine_is_403_on_change_and_has_no_edit_button(as_batt, semiconductors):
    threat = f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN, title="共有された脅威")
    chokepoint = f.ChokepointFactory(sector=semiconductors, marking=Marking.CLEAR)

    detail = as_batt.get(reverse("workspace:threat-detail", args=[threat.pk]))
    assert detail.status_code == 200
    assert reverse("workspace:threat-edit", args=[threat.pk]) not in detail.content.decode()

    assert as_batt.get(reverse("workspace:threat-edit", args=[threat.pk])).status_code == 403
    assert (
        as_batt.get(reverse("workspace:chokepoint-edit", args=[chokepoint.pk])).status_code == 403
    )
    response = as_batt.post(
        reverse("workspace:threat-edit", args=[threat.pk]),
        {"title": "書き換え", "version": threat.version},
    )
    assert response.status_code == 403
    assert "担当する産業分野" in response.content.decode()
    status = as_batt.post(
        reverse("workspace:threat-status", args=[threat.pk]),
        {"status": "closed", "version": threat.version},
    )
    assert status.status_code == 403
    threat.refresh_from_db()
    assert (threat.title, threat.status) == ("共有された脅威", "identified")


@pytest.mark.django_db
def test_unknown_sector_is_404(as_semi):
    assert (
        as_semi.get(reverse("workspace:sector-detail", args=["no-such-sector"])).status_code == 404
    )


@pytest.mark.django_db
def test_navigation_links_every_section(as_semi):
    page = as_semi.get(reverse("workspace:dashboard")).content.decode()
    for name in (
        "workspace:dashboard",
        "workspace:sector-list",
        "workspace:threat-list",
        "workspace:chokepoint-list",
        "workspace:session-list",
        "workspace:action-list",
        "workspace:concern-list",
        "plans:plan-list",
        "workspace:search",
    ):
        assert f'href="{reverse(name)}"' in page, name
    assert 'aria-current="page"' in page
