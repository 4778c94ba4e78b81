"""Exports cost the same number of queries for one row or many (STYLE.md, Tests)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.enums import Marking
from dialogue.services.exports import plan_export_write
from dialogue.services.plans import plan_revision_publish, plan_revision_start
from tests import factories as f
from tests.support.auth import signed_in_api

pytestmark = pytest.mark.django_db


def count_queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def grow(world, code, n):
    r = world.records
    for i in range(n):
        threat = f.ThreatFactory(
            sector=world.semis,
            category=code("1-1"),
            marking=Marking.AMBER,
            source_session=r["session_amber"],
            source_concern=r["concern_a"],
        )
        f.FollowUpActionFactory(
            sector=world.semis, marking=Marking.GREEN, threat=threat, session=r["session_green"]
        )
        chokepoint = f.ChokepointFactory(sector=world.semis, marking=Marking.GREEN, name=f"部材{i}")
        r["session_green"].chokepoints.add(chokepoint)


@pytest.mark.parametrize("format", ["xlsx", "csv", "pdf"])
def test_plan_export_queries_do_not_grow_with_the_lines(world, code, format, settings):
    settings.EXPORT_PDF_MAX_ROWS = 500
    secretariat = world.people["secretariat"]

    def queries_for_new_revision():
        revision = plan_revision_start(actor=secretariat)
        plan_revision_publish(revision=revision, actor=secretariat)
        return count_queries(
            lambda: plan_export_write(
                revision=revision,
                user=world.people["semi_official"],
                format=format,
                max_marking=None,
                target=io.BytesIO(),
            )
        )

    queries_for_new_revision()  # so that both measured revisions have a previous one
    few = queries_for_new_revision()
    grow(world, code, 25)
    many = queries_for_new_revision()
    assert few == many
    assert many <= 32  # ten sheets (dependencies and referral counts added a query each)


@pytest.mark.parametrize("kind", ["threats", "actions", "chokepoints"])
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_list_export_queries_do_not_grow_with_the_rows(world, code, kind, format):
    client = signed_in_api(world.people["semi_official"])

    def queries():
        def export():
            response = client.get(f"/api/v1/{kind}/export/?format={format}")
            assert response.status_code == 200
            b"".join(response.streaming_content)

        return count_queries(export)

    few = queries()
    grow(world, code, 25)
    many = queries()
    assert few == many
    assert many <= 12
