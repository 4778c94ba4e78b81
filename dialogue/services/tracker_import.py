"""Moving an existing tracker in: threats or follow-up actions from a CSV or XLSX file.

The officials' spreadsheets list one threat (or action) per row. Every row is checked
before anything is written, every problem is reported with its row number and column,
and one error saves nothing. A dry run says, row by row, what an import would do: a new
record, a change (with the fields that change), or nothing. A record is identified by
its sector and its title, so importing the same file again changes nothing, and a file
edited in the spreadsheet updates the records it names.

Records are written through the same services as the forms (`threat_create`,
`action_update` …), so history, permissions and validation are those of the pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dialogue.enums import ActionStatus, Marking, ThreatStatus
from dialogue.models import FollowUpAction, Sector, Threat, ThreatCategory, User
from dialogue.permissions import can_manage_sector
from dialogue.services.actions import action_change_status, action_create, action_update
from dialogue.services.common import PermissionDeniedError, check_transition
from dialogue.services.dependency_files import (
    FileRefused,
    ImportOutcome,
    RawRow,
    RowError,
    check_cells,
    read_rows,
)
from dialogue.services.threats import threat_change_status, threat_create, threat_update
from dialogue.workflows import ACTION_TRANSITIONS, THREAT_TRANSITIONS

THREATS, ACTIONS = "threats", "actions"
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    THREATS: {
        "sector": ("sector", "分野", "産業分野"),
        "title": ("title", "件名", "脅威", "リスク"),
        "threat_code": ("threat_code", "code", "脅威コード", "コード"),
        "likelihood": ("likelihood", "発生可能性", "可能性"),
        "impact": ("impact", "影響度", "影響"),
        "status": ("status", "状態", "ステータス"),
        "description": ("description", "説明", "内容"),
    },
    ACTIONS: {
        "sector": ("sector", "分野", "産業分野"),
        "title": ("title", "件名", "アクション", "対応"),
        "owner": ("owner", "担当者", "担当"),
        "due_on": ("due_on", "due", "期限", "期日"),
        "status": ("status", "状態", "ステータス"),
        "description": ("description", "説明", "内容"),
    },
}
REQUIRED = {
    THREATS: ("sector", "title", "threat_code", "likelihood", "impact"),
    ACTIONS: ("sector", "title", "owner", "due_on"),
}
TEXT_LIMITS = {"title": 200, "description": 5000}
STATUSES: dict[str, type[models.TextChoices]] = {THREATS: ThreatStatus, ACTIONS: ActionStatus}
TRANSITIONS: dict[str, Mapping[Any, Set[str]]] = {
    THREATS: THREAT_TRANSITIONS,
    ACTIONS: ACTION_TRANSITIONS,
}
# The status a record starts in, before the file's status is applied.
FIRST_STATUS = {THREATS: ThreatStatus.IDENTIFIED, ACTIONS: ActionStatus.OPEN}


@dataclass(frozen=True)
class PlannedRow:
    row: int
    action: str  # create, update or unchanged
    sector: str
    title: str
    changed: tuple[str, ...] = ()  # the fields an update changes


@dataclass
class TrackerImportReport(ImportOutcome):
    kind: str = ""
    rows: list[PlannedRow] = field(default_factory=list)

    def planned(self) -> list[PlannedRow]:
        return self.rows


@dataclass
class _Row:
    number: int
    sector: Sector
    title: str
    values: dict[str, Any]  # the fields the file sets, as the services take them
    status: str = ""


class _Checker:
    """Turns raw rows into checked ones, or adds their errors."""

    def __init__(self, actor: User, kind: str, errors: list[RowError]):
        self.actor, self.kind, self.errors = actor, kind, errors
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.codes = {c.code: c for c in ThreatCategory.objects.filter(parent__isnull=False)}
        self.people: dict[str, User | None] = {}
        self._manages: dict[int, bool] = {}

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message))

    def check(self, raw: RawRow) -> _Row | None:
        before = len(self.errors)
        check_cells(raw, REQUIRED[self.kind], TEXT_LIMITS, self.errors)
        if len(self.errors) > before:
            return None
        row = self._checked(raw.number, raw.cells)
        return row if len(self.errors) == before else None

    def _checked(self, n: int, cells: dict[str, str]) -> _Row | None:
        sector = self.sectors.get(cells["sector"])
        if sector is None:
            self.error(
                n, "sector", _("Unknown sector code “%(code)s”.") % {"code": cells["sector"]}
            )
            return None
        if not self._may_manage(sector):
            self.error(n, "sector", _("You can import records only for your own sectors."))
            return None
        values: dict[str, Any] = {"description": cells.get("description", "")}
        if self.kind == THREATS:
            values.update(self._threat_values(n, cells))
        else:
            values.update(self._action_values(n, cells))
        status = cells.get("status", "")
        choices = STATUSES[self.kind]
        if status:
            by_label = {str(label): value for value, label in choices.choices}
            status = status if status in choices.values else by_label.get(status, "")
            if not status:
                self.error(
                    n,
                    "status",
                    _("Unknown status “%(status)s”; use one of: %(choices)s.")
                    % {"status": cells["status"], "choices": ", ".join(choices.values)},
                )
        return _Row(n, sector, cells["title"], values, status)

    def _threat_values(self, n: int, cells: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        code = self.codes.get(cells["threat_code"])
        if code is None:
            self.error(
                n,
                "threat_code",
                _("“%(code)s” is not a threat code (use one such as 1-2 or 2-1).")
                % {"code": cells["threat_code"]},
            )
        values["category"] = code
        for column in ("likelihood", "impact"):
            text = cells[column]
            if not (text.isdigit() and 1 <= int(text) <= 5):
                self.error(n, column, _("A whole number from 1 to 5."))
            else:
                values[column] = int(text)
        return values

    def _action_values(self, n: int, cells: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        owner = self._person(cells["owner"])
        if owner is None:
            self.error(
                n,
                "owner",
                _("No active user “%(name)s” (enter a user name or an e-mail address).")
                % {"name": cells["owner"]},
            )
        values["owner"] = owner
        due = _date(cells["due_on"])
        if due is None:
            self.error(n, "due_on", _("Enter the due date as YYYY-MM-DD, e.g. 2026-12-01."))
        values["due_on"] = due
        return values

    def _may_manage(self, sector: Sector) -> bool:
        if sector.pk not in self._manages:
            self._manages[sector.pk] = can_manage_sector(self.actor, sector)
        return self._manages[sector.pk]

    def _person(self, name: str) -> User | None:
        if name not in self.people:
            found = User.objects.filter(is_active=True)
            self.people[name] = (
                found.filter(email__iexact=name).first()
                if "@" in name
                else found.filter(username=name).first()
            )
        return self.people[name]


def _date(text: str) -> datetime.date | None:
    # Spreadsheets give dates as 2026-12-01, 2026/12/01 or a date cell read as ISO text.
    text = text.strip().replace("/", "-").split(" ")[0].split("T")[0]
    try:
        return parse_date(text)
    except ValueError:
        return None


def _check_duplicates(rows: list[_Row], errors: list[RowError]) -> None:
    first: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.sector.pk, row.title)
        if key in first:
            errors.append(
                RowError(
                    row.number,
                    "title",
                    _("Row %(row)d has the same sector and title.") % {"row": first[key]},
                )
            )
        else:
            first[key] = row.number


def _existing(
    kind: str, actor: User, rows: list[_Row], errors: list[RowError]
) -> dict[tuple[int, str], Any]:
    """The records the file names (by sector and title) that exist already: one query.

    A record the importer may not see is not updated: its row is an error."""
    model = Threat if kind == THREATS else FollowUpAction
    found = model.objects.filter(
        sector__in={row.sector.pk for row in rows}, title__in={row.title for row in rows}
    ).select_for_update()
    visible = set(
        model.objects.visible_to(actor)
        .filter(pk__in=[r.pk for r in found])
        .values_list("pk", flat=True)
    )
    by_key = {(record.sector_id, record.title): record for record in found}
    for row in rows:
        record = by_key.get((row.sector.pk, row.title))
        if record is not None and record.pk not in visible:
            errors.append(
                RowError(
                    row.number,
                    "title",
                    _("A record with this title exists under a marking you may not read."),
                )
            )
    return by_key


def _changes(record: Any, row: _Row) -> dict[str, Any]:
    changes = {name: value for name, value in row.values.items() if getattr(record, name) != value}
    if row.status and record.status != row.status:
        changes["status"] = row.status
    return changes


@transaction.atomic
def tracker_import(
    *, actor: User, kind: str, data: bytes, marking: str = Marking.AMBER, dry_run: bool = True
) -> TrackerImportReport:
    """Check a file of threats or actions; unless `dry_run`, save every row (or none)."""
    report = TrackerImportReport(kind=kind, dry_run=dry_run)
    if marking not in Marking.values or marking == Marking.RED:
        report.errors.append(RowError(0, "marking", _("Choose a marking other than RED.")))
        return report
    try:
        columns, raw_rows = read_rows(data, COLUMNS[kind])
    except FileRefused as refused:
        report.errors.append(RowError(0, "", refused.message))
        return report
    missing = [c for c in REQUIRED[kind] if c not in columns]
    if missing:
        report.errors.append(
            RowError(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return report
    if not raw_rows:
        report.errors.append(RowError(0, "", _("The file has no rows.")))
        return report
    checker = _Checker(actor, kind, report.errors)
    rows = [row for raw in raw_rows if (row := checker.check(raw)) is not None]
    _check_duplicates(rows, report.errors)
    existing = _existing(kind, actor, rows, report.errors) if rows else {}
    _check_statuses(kind, rows, existing, report.errors)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    for row in rows:
        record = existing.get((row.sector.pk, row.title))
        if record is None:
            report.rows.append(PlannedRow(row.number, CREATE, row.sector.code, row.title))
            continue
        changed = tuple(sorted(_changes(record, row)))
        action = UPDATE if changed else UNCHANGED
        report.rows.append(PlannedRow(row.number, action, row.sector.code, row.title, changed))
    if dry_run:
        return report
    number = 0
    try:
        for row in rows:
            number = row.number
            _save(actor, kind, row, existing.get((row.sector.pk, row.title)), marking)
    except (ValidationError, PermissionDeniedError) as refused:
        # Checked above; a record changed meanwhile: nothing of the file is kept.
        transaction.set_rollback(True)
        message = refused.messages[0] if isinstance(refused, ValidationError) else str(refused)
        report.errors.append(RowError(number, "", message))
        report.rows = []
    return report


def _check_statuses(
    kind: str, rows: list[_Row], existing: dict[tuple[int, str], Any], errors: list[RowError]
) -> None:
    """A status in the file must be reachable from the record's own, as on its page."""
    for row in rows:
        record = existing.get((row.sector.pk, row.title))
        current = record.status if record is not None else FIRST_STATUS[kind]
        if not row.status or row.status == current:
            continue
        if kind == ACTIONS and row.status == ActionStatus.DONE:
            errors.append(
                RowError(
                    row.number,
                    "status",
                    _("Close an action as done on its page, with what was done."),
                )
            )
            continue
        try:
            check_transition(TRANSITIONS[kind], STATUSES[kind], current, row.status)
        except ValidationError as refused:
            errors.append(RowError(row.number, "status", refused.messages[0]))


def _save(actor: User, kind: str, row: _Row, record: Any, marking: str) -> None:
    fields: dict[str, Any] = {
        "actor": actor,
        "sector": row.sector,
        "title": row.title,
        "marking": marking,
    }
    if record is None:
        if kind == THREATS:
            record = threat_create(**fields, **row.values)
        else:
            record = action_create(**fields, **row.values)
        if row.status and record.status != row.status:
            _set_status(actor, kind, record, row.status)
        return
    changes = _changes(record, row)
    status = changes.pop("status", None)
    if changes and kind == THREATS:
        record = threat_update(threat=record, actor=actor, changes=changes)
    elif changes:
        record = action_update(action=record, actor=actor, changes=changes)
    if status:
        _set_status(actor, kind, record, status)


def _set_status(actor: User, kind: str, record: Any, status: str) -> None:
    if kind == THREATS:
        threat_change_status(threat=record, actor=actor, status=status)
    else:
        action_change_status(action=record, actor=actor, status=status)
