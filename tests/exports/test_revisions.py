"""A published revision never changes; the next revision shows what changed since it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dialogue.enums import Marking
from dialogue.models import FollowUpAction, PlanRevisionItem
from dialogue.selectors.plan_summary import plan_revision_changes, plan_revision_summary
from dialogue.services.exports import plan_export_write
from dialogue.services.plans import plan_revision_refresh, plan_revision_start
from dialogue.services.threats import threat_update
from tests import factories as f
from tests.exports.conftest import (
    ACTION_BATT,
    THREAT_GREEN,
    read_xlsx,
)

pytestmark = pytest.mark.django_db


def snapshot(revision):
    return sorted(
        (item.kind, item.object_id, item.marking, repr(item.data))
        for item in PlanRevisionItem.objects.filter(revision=revision)
    )


def document_rows(revision, user):
    with translation.override("en"):
        document = plan_revision_summary(revision=revision, user=user)
        # generated_at is the only thing allowed to differ
        return {
            sheet.key: [row for row in sheet.iter_rows() if "Generated at" not in row]
            for sheet in document.sheets
            if sheet.key != "changes"
        }


def change_the_live_records(world, code):
    secretariat = world.people["secretariat"]
    r = world.records
    threat_update(
        threat=r["threat_green"],
        actor=secretariat,
        changes={"title": "フォトレジスト原料の供給途絶（改）", "likelihood": 5},
        expected_version=None,
    )
    r["new_threat"] = f.ThreatFactory(
        title="新規: 装置部品の調達難",
        sector=world.semis,
        category=code("2-1"),
        marking=Marking.GREEN,
    )
    FollowUpAction.objects.filter(pk=r["action_batt"].pk).delete()
    # A third organization behind semiconductors × 2-1: its count becomes visible.
    for org in ("a", "b"):
        f.ConcernFactory(organization=world.orgs[org], sector=world.semis, category=code("2-1"))


def test_a_published_revision_is_unchanged_after_the_live_records_change(published, code):
    first = published.first
    secretariat = published.people["secretariat"]
    items_before = snapshot(first)
    rows_before = document_rows(first, secretariat)

    change_the_live_records(published, code)
    plan_revision_start(actor=secretariat)  # the next edition takes its own snapshot

    assert snapshot(first) == items_before
    assert document_rows(first, secretariat) == rows_before
    with pytest.raises(ValidationError):
        plan_revision_refresh(revision=first, actor=secretariat)
    assert snapshot(first) == items_before


def test_the_next_revision_shows_added_removed_and_changed_lines(published, code):
    secretariat = published.people["secretariat"]
    change_the_live_records(published, code)
    second = plan_revision_start(actor=secretariat)
    with translation.override("en"):
        lines = plan_revision_changes(second, secretariat)
    by_key = {line.change.key: line for line in lines}
    r = published.records

    changed = by_key[f"threat:{r['threat_green'].pk}"]
    assert changed.change.change == "changed"
    fields = {name: (old, new) for name, _label, old, new in changed.fields}
    assert fields["title"] == (THREAT_GREEN, "フォトレジスト原料の供給途絶（改）")
    assert fields["likelihood"] == (2, 5)
    assert fields["severity"] == (6, 15)

    assert by_key[f"threat:{r['new_threat'].pk}"].change.change == "added"
    removed = by_key[f"action:{r['action_batt'].pk}"]
    assert removed.change.change == "removed" and removed.title == ACTION_BATT

    aggregate = by_key["concern_aggregate:semiconductors:2-1"]
    assert aggregate.fields == [("concerns", "Concerns", "fewer than 3", 4)]
    # Unchanged lines are not listed.
    assert f"threat:{r['threat_amber'].pk}" not in by_key


def test_a_concern_count_change_below_three_organizations_is_not_shown(published, code):
    secretariat = published.people["secretariat"]
    # One more concern of the same single organization: still "fewer than 3".
    f.ConcernFactory(organization=published.orgs["d"], sector=published.semis, category=code("2-1"))
    second = plan_revision_start(actor=secretariat)
    keys = {line.change.key for line in plan_revision_changes(second, secretariat)}
    assert "concern_aggregate:semiconductors:2-1" not in keys


def test_the_changes_sheet_of_the_export_lists_the_diff(published, code):
    secretariat = published.people["secretariat"]
    change_the_live_records(published, code)
    second = plan_revision_start(actor=secretariat)
    target = io.BytesIO()
    with translation.override("en"):
        plan_export_write(
            revision=second, user=secretariat, format="xlsx", max_marking=None, target=target
        )
    changes = read_xlsx(target.getvalue())["Changes since the previous revi"]
    assert changes[1][:9] == [
        "Sector code",
        "Sector",
        "Kind",
        "Reference",
        "Title",
        "Change",
        "Field",
        "Previous",
        "Current",
    ]
    rows = [row[:9] for row in changes[2:]]
    assert [
        "semiconductors",
        "Semiconductors",
        "Threat",
        f"#{published.records['threat_green'].pk}",
        "フォトレジスト原料の供給途絶（改）",
        "Changed",
        "Likelihood",
        2,
        5,
    ] in rows
    assert any(row[5] == "Removed" and row[4] == ACTION_BATT for row in rows)
    assert any(row[5] == "Added" and row[4] == "新規: 装置部品の調達難" for row in rows)


def test_changes_with_a_maximum_marking_compare_what_that_reader_sees(published, code):
    secretariat = published.people["secretariat"]
    # GREEN → AMBER: for a GREEN-only reader the threat disappears from both editions
    # (a line reads under the most restrictive of its marking then and its record's now),
    # so not even its removal is told.
    threat_update(
        threat=published.records["threat_green"],
        actor=secretariat,
        changes={"marking": Marking.AMBER},
        expected_version=None,
    )
    second = plan_revision_start(actor=secretariat)
    green = plan_revision_changes(second, secretariat, max_marking=Marking.GREEN)
    key = f"threat:{published.records['threat_green'].pk}"
    assert [line.change.change for line in green if line.change.key == key] == []
    first = plan_revision_summary(
        revision=published.first, user=secretariat, max_marking=Marking.GREEN
    )
    threats = next(sheet for sheet in first.sheets if sheet.key == "threats")
    assert THREAT_GREEN not in [row[5] for row in threats.iter_rows()]
    with translation.override("en"):
        full = plan_revision_changes(second, secretariat)
    [line] = [line for line in full if line.change.key == key]
    assert line.change.change == "changed"
    assert ("marking", "Marking", "TLP:GREEN", "TLP:AMBER") in [
        (n, str(label), old, new) for n, label, old, new in line.fields
    ]
