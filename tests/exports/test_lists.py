"""List exports hold exactly what the same user's list shows, with the same filters."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from dialogue.enums import Marking
from dialogue.exports.csv import iter_csv
from dialogue.selectors.exports import list_export
from dialogue.services.exports import list_csv_chunks, list_export_write
from tests.exports.conftest import (
    ACTION_SEMI,
    FORMULAS,
    THREAT_AMBER,
    THREAT_RED,
    parse_csv,
    read_xlsx,
    signed_in,
)
from tests.support.auth import signed_in_api

pytestmark = pytest.mark.django_db

ROLES = ["company_a", "company_b", "semi_official", "batt_official", "secretariat"]
QUERIES = ["", "sector=semiconductors", "marking=GREEN", "search=流出", "ordering=-severity"]
ENDPOINTS = {"threats": "threat", "actions": "action", "chokepoints": "chokepoint"}


def api_list_ids(client, kind: str, query: str) -> list[int]:
    url = f"/api/v1/{kind}/?page_size=200&{query}"
    ids = []
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


def csv_ids(data: bytes) -> list[int]:
    rows = parse_csv(data)
    return [int(row[0]) for row in rows[2:]]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(ENDPOINTS))
def test_api_export_rows_are_exactly_the_api_list_rows(world, role, kind):
    client = signed_in_api(world.people[role])
    for query in QUERIES:
        expected = api_list_ids(client, kind, query)
        response = client.get(f"/api/v1/{kind}/export/?format=csv&{query}")
        assert response.status_code == 200, (kind, query, response.content[:300])
        data = b"".join(response.streaming_content)
        # The list orders ties of a non-unique ordering as the database likes; the export
        # breaks them by id. Same rows either way, in the same order where it is defined.
        same = sorted if "ordering" in query else list
        assert same(csv_ids(data)) == same(expected), (role, kind, query)
        response = client.get(f"/api/v1/{kind}/export/?format=xlsx&{query}")
        assert response.status_code == 200
        sheet = next(iter(read_xlsx(b"".join(response.streaming_content)).values()))
        assert same([row[0] for row in sheet[2:]]) == same(expected), (role, kind, query)


@pytest.mark.parametrize("role", ["semi_official", "batt_official", "secretariat"])
def test_workspace_export_rows_are_exactly_the_register_page_rows(world, role):
    client = signed_in(world.people[role])
    for query in ["", "sector=semiconductors", "category=3", "severity_min=10&sort=title"]:
        page = client.get(f"{reverse('workspace:threat-list')}?{query}")
        expected = [threat.pk for threat in page.context["listing"].page.object_list]
        response = client.get(
            f"{reverse('plans:list-export', args=['threats'])}?format=csv&{query}"
        )
        assert response.status_code == 200
        assert csv_ids(b"".join(response.streaming_content)) == expected, (role, query)


def test_threat_export_content_marking_and_neutralization(world):
    secretariat = world.people["secretariat"]
    with translation.override("en"):
        export = list_export(
            kind="threats", user=secretariat, source="api", params={}, max_marking=None
        )
        marking = export.marking
        rows = parse_csv(b"".join(list_csv_chunks(export)))
    # The RED threat is named on the secretariat: it is in their list, so in their export.
    assert marking == "TLP:RED"
    assert rows[0][0] == "TLP:RED"
    assert rows[1][:4] == ["ID", "Title", "Sector code", "Sector"]
    titles = [row[1] for row in rows[2:]]
    assert THREAT_AMBER in titles and THREAT_RED in titles
    for formula in FORMULAS:
        assert "'" + formula in titles
    assert not [t for t in titles if t[0] in "=+-@\t\r＝＋－＠"]


def test_max_marking_caps_a_list_export(world):
    user = world.people["secretariat"]
    export = list_export(
        kind="threats",
        user=user,
        source="api",
        params={},
        max_marking=Marking.GREEN,
    )
    target = io.BytesIO()
    built = list_export_write(export=export, format="xlsx", target=target)
    assert built.marking == "TLP:GREEN"
    text = str(read_xlsx(target.getvalue()))
    assert THREAT_AMBER not in text and THREAT_RED not in text


def test_company_users_export_only_what_their_list_shows(world):
    client = signed_in_api(world.people["company_b"])
    response = client.get("/api/v1/actions/export/?format=csv")
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ACTION_SEMI not in data
    assert response["X-Marking"] == "TLP:CLEAR"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_and_python_give_the_same_cells(world):
    user = world.people["secretariat"]
    for kind in ENDPOINTS:
        export = list_export(kind=kind, user=user, source="api", params={}, max_marking=None)
        via_copy = parse_csv(b"".join(list_csv_chunks(export)))
        head = [via_copy[0], via_copy[1]]
        via_python = parse_csv(b"".join(iter_csv(head, export.rows.iterator())))
        assert via_copy == via_python, kind
