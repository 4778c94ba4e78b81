"""What a client generated from the schema can rely on beyond the happy path.

* Every address under /api/ that no route takes answers the API's JSON 404, with DEBUG
  on as well as off; a malformed id that a route takes answers the same 404, and a
  method a route does not take a JSON 405.
* `page_size` out of range is refused (400, in the caller's language), the schema says
  its range, and a page gives its neighbours' cursors as they are.
* A list filter naming a sector, threat code or country that does not exist is a field
  error (400), not an empty list; the workspace pages keep ignoring such a value.
* What the schema forbids is refused, not read leniently: an empty value of a parameter
  that is not free text (a choice, number, date, id, boolean, `page_size`), a boolean
  other than true/false, and a number or other non-string sent for a text field.
* The schema says what the server refuses: a notice's `sectors` may not be empty, and
  each status field lists its workflow's allowed changes, from the table itself.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dialogue.api.pagination import DialogueCursorPagination
from dialogue.enums import Marking, SessionFormat
from dialogue.models import Sector, ThreatCategory
from dialogue.workflows import (
    ACTION_TRANSITIONS,
    CONCERN_TRANSITIONS,
    PLAN_REVISION_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    SESSION_TRANSITIONS,
    THREAT_TRANSITIONS,
)
from tests import factories as f
from tests.support.auth import signed_in, signed_in_api

NOT_FOUND = {"ja": "見つかりませんでした。", "en": "Not found."}
EMPTY_VALUE = {
    "ja": "値が空です。絞り込まない場合はパラメータを省いてください。",
    "en": "This value is empty; leave the parameter out to not filter by it.",
}
NOT_A_BOOLEAN = {"ja": "true または false を送ってください。", "en": "Send true or false."}
NOT_A_STRING = {"ja": "有効な文字列ではありません。", "en": "Not a valid string."}
PAGE_SIZE_ERROR = {
    "ja": "ページの大きさは 1 から 200 までの整数で指定してください。",
    "en": "Give the page size as a whole number from 1 to 200.",
}


@pytest.fixture
def secretariat(db):
    return f.SecretariatFactory(username="errors_secretariat")


def client_for(user, language: str = "ja", **kwargs) -> APIClient:
    return signed_in_api(user, HTTP_ACCEPT_LANGUAGE=language, **kwargs)


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ serves it, read once."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def assert_json_not_found(response, language: str = "ja") -> None:
    assert response.status_code == 404, (response.status_code, response.content[:200])
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NOT_FOUND[language]}


# -- 1. JSON errors for every address under /api/ ------------------------------------------

UNMATCHED = [
    "/api/v1/concerns/null,null/messages/",
    "/api/v1/concerns/1/attachments/abc/",
    "/api/v1/concerns/1/referrals/x/answer/",
    "/api/v1/plan-revisions/0.5/diff/",
    "/api/v1/plan-revisions/abc/export/",
    "/api/v1/threats/1.5/",
    "/api/v1/threats/1/2/3/",
    "/api/v1/auth/tokens/abc/",
    "/api/v1/no-such-thing/",
    "/api/v1/no-such-thing",
    "/api/v1/threats/%E2%82%AC/",
    "/api/v1/",
    "/api/v1",
    "/api/v2/threats/",
    "/api/",
]
# Routes that take the path, whose view finds nothing: the same answer.
MATCHED_BUT_MISSING = [
    "/api/v1/threats/abc/",
    "/api/v1/threats/999999/",
    "/api/v1/concerns/999999/messages/",
    "/api/v1/concerns/2099-9999/messages/",
    "/api/v1/plan-revisions/999999/diff/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("path", UNMATCHED + MATCHED_BUT_MISSING)
def test_every_unknown_or_malformed_api_address_answers_a_json_404(
    settings, secretariat, debug, path
):
    settings.DEBUG = debug
    assert_json_not_found(client_for(secretariat).get(path))
    assert_json_not_found(client_for(secretariat, "en").get(path), "en")


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "head"])
def test_an_unknown_api_address_answers_404_to_every_method(settings, secretariat, debug, method):
    settings.DEBUG = debug
    # CSRF enforced as for a browser's session: no 403 for an address that is not there.
    client = client_for(secretariat, enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    if method != "head":
        assert response.json() == {"detail": NOT_FOUND["ja"]}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_an_unknown_api_address_answers_json_to_anonymous_callers_too(settings, debug):
    settings.DEBUG = debug
    assert_json_not_found(APIClient().get("/api/v1/no-such-thing/"))


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_route_without_its_last_slash_is_still_redirected_to_it(settings, secretariat, debug):
    settings.DEBUG = debug
    response = client_for(secretariat).get("/api/v1/threats", {"status": "closed"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/threats/?status=closed"
    assert client_for(secretariat).get("/api/schema")["Location"] == "/api/schema/"
    assert client_for(secretariat).get("/api")["Location"] == "/api/"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_method_a_route_does_not_take_answers_a_json_405(settings, secretariat, debug):
    settings.DEBUG = debug
    threat = f.ThreatFactory(marking=Marking.GREEN)
    for method, path in [
        ("delete", "/api/v1/threats/"),
        ("delete", f"/api/v1/threats/{threat.pk}/"),
        ("put", f"/api/v1/threats/{threat.pk}/"),
        ("post", "/api/v1/sectors/"),
    ]:
        response = getattr(client_for(secretariat), method)(path)
        assert response.status_code == 405, (method, path)
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}
        assert method.upper() not in response["Allow"]


@pytest.mark.django_db
def test_an_unknown_api_address_is_not_logged_as_an_authorization_failure(secretariat, monkeypatch):
    logged = []
    monkeypatch.setattr(
        "dialogue.middleware.audit_event", lambda event, **kwargs: logged.append(event)
    )
    assert client_for(secretariat).get("/api/v1/no-such-thing/").status_code == 404
    assert logged == []
    # A record the caller may not see still is.
    assert client_for(secretariat).get("/api/v1/threats/999999/").status_code == 404
    assert logged == ["access.denied"]


def test_the_schema_documents_the_404_of_an_address_with_an_id(schema):
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert "404" in operation["responses"], (method, path)


def test_pages_outside_the_api_keep_the_generic_html_404(secretariat, settings):
    settings.DEBUG = False
    response = signed_in(secretariat).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    response = signed_in(secretariat).get("/apiary/")
    assert response["Content-Type"].startswith("text/html")


# -- 2. Pagination ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "201", "1000", "abc", "null", "1.5", "1_0", "１"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_page_size_out_of_range_is_refused_in_the_callers_language(secretariat, value, language):
    response = client_for(secretariat, language).get("/api/v1/threats/", {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": [PAGE_SIZE_ERROR[language]]}


@pytest.mark.django_db
def test_a_page_size_in_range_or_none_at_all_is_taken(secretariat, semiconductors):
    f.ThreatFactory.create_batch(3, sector=semiconductors, marking=Marking.GREEN)
    client = client_for(secretariat)
    for value, rows in [("1", 1), ("2", 2), ("200", 3), (" 2 ", 2)]:
        response = client.get("/api/v1/threats/", {"page_size": value})
        assert response.status_code == 200, (value, response.content)
        assert len(response.json()["results"]) == rows
    assert client.get("/api/v1/threats/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", " "])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_empty_page_size_is_refused_as_an_empty_filter_is(secretariat, value, language):
    response = client_for(secretariat, language).get("/api/v1/threats/", {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": [EMPTY_VALUE[language]]}


@pytest.mark.django_db
def test_a_page_gives_its_neighbours_cursors_beside_their_addresses(secretariat, semiconductors):
    threats = f.ThreatFactory.create_batch(3, sector=semiconductors, marking=Marking.GREEN)
    client = client_for(secretariat)

    first = client.get("/api/v1/threats/", {"page_size": 2}).json()
    assert list(first) == ["next", "previous", "next_cursor", "previous_cursor", "results"]
    assert first["previous"] is None and first["previous_cursor"] is None
    assert first["next_cursor"] == parse_qs(urlsplit(first["next"]).query)["cursor"][0]

    second = client.get("/api/v1/threats/", {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert [row["id"] for row in first["results"] + second["results"]] == sorted(
        (t.pk for t in threats), reverse=True
    )
    assert second["next"] is None and second["next_cursor"] is None
    assert second["previous_cursor"] == parse_qs(urlsplit(second["previous"]).query)["cursor"][0]
    back = client.get(
        "/api/v1/threats/", {"page_size": 2, "cursor": second["previous_cursor"]}
    ).json()
    assert back["results"] == first["results"]


def test_the_schema_gives_page_size_its_range_and_the_pages_their_cursors(schema):
    paginated = [
        (path, operations["get"])
        for path, operations in schema["paths"].items()
        if "get" in operations
        and any(p["name"] == "cursor" for p in operations["get"].get("parameters", []))
    ]
    assert len(paginated) >= 10
    for path, operation in paginated:
        [page_size] = [p for p in operation["parameters"] if p["name"] == "page_size"]
        assert page_size["schema"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": DialogueCursorPagination.max_page_size,
            "default": DialogueCursorPagination.page_size,
        }, path
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        body = schema["components"]["schemas"][answer["$ref"].rsplit("/", 1)[-1]]
        for name in ("next_cursor", "previous_cursor"):
            assert body["properties"][name]["type"] == "string", path
            assert body["properties"][name]["nullable"] is True, path
            assert name in body["required"], path
        assert "400" in operation["responses"], path


# -- 3. List filters ----------------------------------------------------------------------

UNKNOWN_FILTER_VALUES = [
    ("threats", "sector", "nosuch"),
    ("threats", "sector", "999999"),
    ("threats", "sector", "²"),
    ("threats", "category", "9-9"),
    ("chokepoints", "sector", "nosuch"),
    ("actions", "sector", "nosuch"),
    ("sessions", "sector", "nosuch"),
    ("concerns", "sector", "nosuch"),
    ("concerns", "category", "nosuch"),
    ("dependencies", "sector", "nosuch"),
    ("dependencies", "country", "XX"),
    ("organizations", "sector", "nosuch"),
    ("support-organizations", "sector", "nosuch"),
    ("support-organizations", "threat_code", "9"),
    ("support-schemes", "sector", "1"),
    ("support-schemes", "threat_code", "nosuch"),
    # Invalid choices of the ChoiceFilters: refused as before.
    ("threats", "status", "nosuch"),
    ("actions", "marking", "nosuch"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "name", "value"), UNKNOWN_FILTER_VALUES)
def test_an_unknown_value_in_a_list_filter_is_a_field_error(secretariat, resource, name, value):
    response = client_for(secretariat).get(f"/api/v1/{resource}/", {name: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [name]
    assert len(body[name]) == 1 and value in body[name][0]


@pytest.mark.django_db
def test_the_filter_error_is_in_the_callers_language(secretariat):
    ja = client_for(secretariat).get("/api/v1/threats/", {"sector": "nosuch"}).json()
    en = client_for(secretariat, "en").get("/api/v1/threats/", {"sector": "nosuch"}).json()
    assert ja == {"sector": ["「nosuch」は産業分野の ID またはコードではありません。"]}
    assert en == {"sector": ["“nosuch” is not a sector: give a sector's id or code."]}
    en = client_for(secretariat, "en").get("/api/v1/threats/", {"category": "9-9"}).json()
    assert en == {"category": ["“9-9” is not a threat code."]}


@pytest.mark.django_db
def test_known_filter_values_still_filter(secretariat, semiconductors, batteries):
    one, other = ThreatCategory.objects.exclude(parent=None)[:2]
    chip = f.ThreatFactory(sector=semiconductors, category=one, marking=Marking.GREEN)
    f.ThreatFactory(sector=batteries, category=other, marking=Marking.GREEN)
    client = client_for(secretariat)

    def ids(resource, **params):
        response = client.get(f"/api/v1/{resource}/", params)
        assert response.status_code == 200, (params, response.content)
        return [row["id"] for row in response.json()["results"]]

    assert ids("threats", sector="semiconductors") == [chip.pk]
    assert ids("threats", sector=str(semiconductors.pk)) == [chip.pk]
    assert ids("threats", sector=f" {semiconductors.code} ") == [chip.pk]
    assert ids("threats", sector=semiconductors.parent.code) == [chip.pk]
    assert ids("threats", category=one.code) == [chip.pk]
    assert ids("threats", sector="") == ids("threats")
    family = ThreatCategory.objects.filter(parent=None).first()
    ids("support-schemes", threat_code=family.code, sector="semiconductors")
    ids("dependencies", country="cn")
    ids("organizations", sector=str(Sector.objects.first().pk))


@pytest.mark.django_db
def test_an_export_of_the_api_list_refuses_an_unknown_sector_too(secretariat):
    response = client_for(secretariat).get(
        "/api/v1/threats/export/", {"format": "csv", "sector": "nosuch"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["sector"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("workspace:threat-list", {"sector": "nosuch", "category": "9-9"}),
        ("workspace:action-list", {"sector": "nosuch"}),
        ("workspace:chokepoint-list", {"sector": "nosuch"}),
        ("workspace:session-list", {"sector": "nosuch"}),
        ("workspace:dependency-list", {"sector": "nosuch", "country": "XX"}),
    ],
)
def test_a_workspace_page_shows_an_unknown_filter_value_and_ignores_it(
    secretariat, semiconductors, page, params
):
    response = signed_in(secretariat).get(reverse(page), params)
    assert response.status_code == 200
    unfiltered = signed_in(secretariat).get(reverse(page))
    listing = response.context["listing"]
    assert set(listing.filterset.form.errors) == set(params)
    assert list(listing.page.object_list) == list(unfiltered.context["listing"].page.object_list)


EMPTY_TYPED_FILTERS = [
    ("threats", "status"),
    ("threats", "severity_min"),
    ("actions", "pillar"),
    ("actions", "owner"),
    ("actions", "due_after"),
    ("actions", "overdue"),
    ("sessions", "marking"),
    ("chokepoints", "process_stage"),
    ("concerns", "assigned_to"),
    ("dependencies", "year"),
    ("organizations", "size_class"),
    ("notices", "kind"),
    ("export-jobs", "status"),
    ("support-organizations", "is_active"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "name"), EMPTY_TYPED_FILTERS)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_empty_value_of_a_typed_filter_is_refused_in_the_callers_language(
    secretariat, resource, name, language
):
    client = client_for(secretariat, language)
    for value in ("", " "):
        response = client.get(f"/api/v1/{resource}/", {name: value})
        assert response.status_code == 400, (value, response.content)
        assert response.json() == {name: [EMPTY_VALUE[language]]}


@pytest.mark.django_db
def test_an_empty_value_among_several_is_refused_and_a_wrong_one_keeps_its_own_error(
    secretariat,
):
    client = client_for(secretariat, "en")
    response = client.get("/api/v1/chokepoints/", {"process_stage": "", "survey": ""})
    assert response.json() == {"process_stage": [EMPTY_VALUE["en"]], "survey": [EMPTY_VALUE["en"]]}
    response = client.get("/api/v1/threats/", {"status": "nosuch"})
    assert response.status_code == 400
    assert "nosuch" in response.json()["status"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_export_of_the_api_list_refuses_an_empty_typed_value_too(secretariat, language):
    response = client_for(secretariat, language).get(
        "/api/v1/chokepoints/export/", {"format": "csv", "survey": ""}
    )
    assert response.status_code == 400
    assert response.json() == {"survey": [EMPTY_VALUE[language]]}


@pytest.mark.django_db
def test_an_empty_free_text_filter_still_means_no_filter(secretariat, semiconductors):
    f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN)
    client = client_for(secretariat)
    everything = client.get("/api/v1/threats/").json()["results"]
    for params in ({"search": ""}, {"sector": ""}, {"search": "", "sector": "", "ordering": ""}):
        response = client.get("/api/v1/threats/", params)
        assert response.status_code == 200, (params, response.content)
        assert response.json()["results"] == everything
    assert client.get("/api/v1/export-jobs/", {"kind": ""}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_boolean_filter_takes_only_true_or_false(secretariat, language):
    client = client_for(secretariat, language)
    for value in ("yes", "1", "True", "ÜÆ"):
        response = client.get("/api/v1/support-organizations/", {"is_active": value})
        assert response.status_code == 400, (value, response.content)
        assert response.json() == {"is_active": [NOT_A_BOOLEAN[language]]}
    for value in ("true", "false"):
        assert client.get("/api/v1/actions/", {"overdue": value}).status_code == 200


@pytest.mark.django_db
def test_a_workspace_page_still_ignores_empty_filter_values(secretariat, semiconductors):
    f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN)
    client = signed_in(secretariat)
    empty = {"status": "", "marking": "", "sector": "", "category": "", "search": ""}
    response = client.get(reverse("workspace:threat-list"), empty)
    assert response.status_code == 200
    listing = response.context["listing"]
    assert not listing.filterset.form.errors
    unfiltered = client.get(reverse("workspace:threat-list")).context["listing"]
    assert list(listing.page.object_list) == list(unfiltered.page.object_list)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_number_sent_for_a_text_field_is_refused(secretariat, semiconductors, language):
    client = client_for(secretariat, language)
    for value in (5, 1.5):
        # A model text field (the serializer's field mapping), then declared ones.
        response = client.post(
            "/api/v1/threats/", {"title": value, "sector": semiconductors.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["title"] == [NOT_A_STRING[language]]
    response = APIClient(HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/v1/auth/token/", {"username": 123, "password": 456}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": [NOT_A_STRING[language]],
        "password": [NOT_A_STRING[language]],
    }


# -- 4. Constraints in the schema ---------------------------------------------------------


def component(schema, name: str) -> dict:
    return schema["components"]["schemas"][name]


def test_a_notices_sectors_and_sizes_may_not_be_empty_and_the_schema_says_so(schema):
    for name in ("NoticeRequest", "PatchedNoticeRequest"):
        for field in ("sectors", "size_classes"):
            assert component(schema, name)["properties"][field]["minItems"] == 1, (name, field)


NO_SECTOR = {"ja": "産業分野を 1 つ以上選んでください。", "en": "Choose at least one sector."}
NO_SIZE = {"ja": "企業規模を 1 つ以上選んでください。", "en": "Choose at least one company size."}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_server_refuses_a_notice_without_sectors_or_sizes(secretariat, language):
    body = {
        "kind": "measure_alert",
        "title_ja": "周知",
        "title_en": "Notice",
        "body_ja": "本文",
        "body_en": "Text",
        "sectors": [],
        "size_classes": ["large"],
        "marking": "GREEN",
    }
    client = client_for(secretariat, language)
    created = client.post("/api/v1/notices/", {**body, "size_classes": []}, format="json")
    assert created.status_code == 400
    assert created.json() == {"sectors": [NO_SECTOR[language]], "size_classes": [NO_SIZE[language]]}

    created = client.post("/api/v1/notices/", {**body, "sectors": ["batteries"]}, format="json")
    assert created.status_code == 201, created.content
    notice = created.json()
    for field, message in (("sectors", NO_SECTOR), ("size_classes", NO_SIZE)):
        changed = client.patch(
            f"/api/v1/notices/{notice['id']}/",
            {field: [], "version": notice["version"]},
            format="json",
        )
        assert changed.status_code == 400
        assert changed.json() == {field: [message[language]]}


@pytest.mark.django_db
def test_a_sessions_sectors_may_be_empty_only_under_a_forum_as_the_schema_says(secretariat, schema):
    sectors = component(schema, "SessionRequest")["properties"]["sectors"]
    assert "minItems" not in sectors  # an international session may name none
    assert "forum" in sectors["description"]

    client = client_for(secretariat)
    body = {"title": "対話", "held_on": "2030-03-02", "marking": "GREEN", "sectors": []}
    hearing = client.post(
        "/api/v1/sessions/", {**body, "format": SessionFormat.COMPANY_HEARING}, format="json"
    )
    assert hearing.status_code == 400
    assert list(hearing.json()) == ["sectors"]
    forum = f.forum()
    international = client.post(
        "/api/v1/sessions/",
        {**body, "format": SessionFormat.INTERNATIONAL, "forum": forum.pk},
        format="json",
    )
    assert international.status_code == 201, international.content


def test_a_referral_proposal_says_that_one_of_its_lists_is_needed(schema):
    proposal = component(schema, "ReferralProposeRequest")["properties"]
    assert "support_schemes" in proposal["support_organizations"]["description"]
    assert "support_organizations" in proposal["support_schemes"]["description"]


def described_transitions(description: str) -> dict[str, set[str]]:
    """{state: next states} from "Allowed changes: a → b, c; b → c. Final: c." """
    assert description.startswith("Allowed changes: "), description
    sentence = description.split("\n", 1)[0].removeprefix("Allowed changes: ")
    moves, _, final = sentence.partition(" Final: ")
    table = {}
    for move in moves.removesuffix(".").split("; "):
        state, _, targets = move.partition(" → ")
        table[state] = set(targets.split(", "))
    for state in final.removesuffix(".").split(", ") if final else []:
        table[state] = set()
    return table


STATUS_FIELDS = [
    (("Threat", "ThreatRequest", "PatchedThreatRequest"), THREAT_TRANSITIONS),
    (("Concern", "PatchedConcernRequest"), CONCERN_TRANSITIONS),
    (("Action", "ActionRequest", "PatchedActionRequest"), ACTION_TRANSITIONS),
    (("Session", "SessionRequest", "PatchedSessionRequest"), SESSION_TRANSITIONS),
    (("Referral", "PatchedReferralRequest"), REFERRAL_TRANSITIONS),
    (("PlanRevision",), PLAN_REVISION_TRANSITIONS),
]


@pytest.mark.parametrize(
    ("components", "transitions"), STATUS_FIELDS, ids=[c[0] for c, _ in STATUS_FIELDS]
)
def test_each_status_field_states_its_workflows_allowed_changes(schema, components, transitions):
    expected = {
        state.value: {target.value for target in targets} for state, targets in transitions.items()
    }
    for name in components:
        status = component(schema, name)["properties"]["status"]
        assert described_transitions(status["description"]) == expected, name
