"""The world of the derived-artefact sweep: the access sweep's world (access.py), plus what
diffs, aggregates, e-mails, calendars and search need, and the rule of who may see what
written out independently of the code under test (`Oracle`).

What it adds to `build_sweep_world()`:

- distinctive ids: concerns from 7301, sessions from 7401, threats from 7501, actions from
  7601, chokepoints from 7701, so that "#7301" in an artefact can only be that concern;
- three more semiconductor companies' concerns (丙川, 丁野 and a RED one of 部多 named to
  someone who is none of the roles) in the semiconductors × 2-2 cell (three organizations
  stand behind it without the RED one, four with it), and one battery company's concern
  alone in batteries × 2-1;
- a GREEN session titled with a company's name, cited as the source of a GREEN threat;
- a RED action owned by the batteries official, who is not named on it (made with the
  factory: the services may refuse such an owner);
- two published plan revisions; between them a GREEN threat got an AMBER+STRICT concern,
  an AMBER session and an AMBER chokepoint as its sources (finding 1 of the issue), and
  the concerns above were added;
- sector leads, due and long-overdue actions, and officials who joined two weeks ago and
  take a weekly digest, so that every e-mail service has something to send.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dialogue.enums import DigestFrequency, Marking, Role
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Organization,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.services.plans import (
    plan_revision_publish,
    plan_revision_refresh,
    plan_revision_start,
)
from tests import factories as f
from tests.support.worlds.access import ROLES, build_sweep_world, never_shown

ID_STARTS = {
    Concern: 7301,
    DialogueSession: 7401,
    Threat: 7501,
    FollowUpAction: 7601,
    ChokepointTechnology: 7701,
}
# The marked records whose titles and ids the sweep looks for, and their title field.
MARKED_MODELS = {
    Concern: "title",
    DialogueSession: "title",
    Threat: "title",
    FollowUpAction: "title",
    ChokepointTechnology: "name",
}

C_NAME, C_NAME_EN = "株式会社丙川製作所", "Heikawa Seisakusho"
D_NAME, D_NAME_EN = "丁野化学株式会社", "Teino Chemical"
E_NAME, E_NAME_EN = "戊田電池株式会社", "Boda Battery Works"

# The cells of the concern aggregates (sector code, threat code).
MANY_CELL = ("semiconductors", "2-2")  # A, 丙川, 丁野 (+ 部多's RED concern)
FEW_CELL = ("batteries", "2-1")  # 戊田 alone
RED_ONLY_CELL = ("semiconductors", "1-2")  # company A's RED concern alone

DERIVED = {
    "concern_c": "丙川製作所 フォトレジスト原料の輸出許可遅延",
    "concern_d": "丁野化学 高純度薬品の供給元審査",
    "concern_e": "戊田電池 黒鉛の輸出規制による調達難",
    "red_concern_b": "赤区分懸念: 部多電子への調達先開示要求",
    "named_session": f"半導体GREEN対話: 個別ヒアリング（{C_NAME}）",
    "threat_named_source": "半導体GREEN脅威: 原料調達の寡占",
    "red_action_batt": "赤区分アクション: 電池材料の調達先監査",
    "overdue_action": "半導体AMBERアクション: 輸出管理体制の再点検",
}


# -- distinctive ids ---------------------------------------------------------------------


def _sequence_sql(table: str) -> str:
    return f"SELECT pg_get_serial_sequence('{table}', 'id')"


@contextlib.contextmanager
def distinctive_ids():
    """New rows of the marked models get ids from ID_STARTS on.

    SQLite keeps the counter in sqlite_sequence, which the surrounding transaction rolls
    back. PostgreSQL's sequences are outside transactions: they are put back on exit.
    """
    restore = []
    with connection.cursor() as cursor:
        for model, first in ID_STARTS.items():
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(_sequence_sql(table))
                sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
                restore.append((sequence, *cursor.fetchone()))
                cursor.execute("SELECT setval(%s, %s, false)", [sequence, first])
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first - 1, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [table, first - 1],
                    )
            else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL
                raise AssertionError(f"no distinctive ids on {connection.vendor}")
    try:
        yield
    finally:
        if restore:
            with connection.cursor() as cursor:
                for sequence, last_value, is_called in restore:
                    cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])


# -- the world ---------------------------------------------------------------------------


def build_derived_world() -> dict:
    world = build_sweep_world()
    users = world["users"]
    semi, batt = world["semi"], world["batt"]
    secretariat = users["secretariat"]
    official, batt_official = users["sector_official"], users["other_sector_official"]
    red_reader = User.objects.get(username="red-reader")
    world["red_reader"] = red_reader
    today = timezone.localdate()
    code = {c.code: c for c in ThreatCategory.objects.filter(code__in=["1-2", "2-1", "2-2"])}
    authored = {"created_by": secretariat}

    org_c = f.OrganizationFactory(name=C_NAME, name_en=C_NAME_EN, sectors=[semi])
    org_d = f.OrganizationFactory(name=D_NAME, name_en=D_NAME_EN, sectors=[semi])
    org_e = f.OrganizationFactory(name=E_NAME, name_en=E_NAME_EN, sectors=[batt])
    world.update(org_c=org_c, org_d=org_d, org_e=org_e)
    submitter = {
        org: f.CompanyUserFactory(username=f"{slug}-tanto", organization=org)
        for org, slug in ((org_c, "heikawa"), (org_d, "teino"), (org_e, "boda"))
    }

    # Semiconductors × 2-2 before the first revision: A (world) and 丙川 — two organizations.
    world["concern_c"] = f.ConcernFactory(
        title=DERIVED["concern_c"],
        organization=org_c,
        submitted_by=submitter[org_c],
        sector=semi,
        category=code["2-2"],
        marking=Marking.AMBER,
    )
    # A GREEN session titled with a company's name, and the GREEN threat it is the source of.
    world["named_session"] = f.DialogueSessionFactory(
        title=DERIVED["named_session"],
        sectors=[semi],
        participating_organizations=[org_c],
        marking=Marking.GREEN,
        **authored,
    )
    world["threat_named_source"] = f.ThreatFactory(
        title=DERIVED["threat_named_source"],
        sector=semi,
        category=code["2-1"],
        marking=Marking.GREEN,
        source_session=world["named_session"],
        **authored,
    )
    # A RED action whose owner (the batteries official) is not named on it.
    world["red_action_batt"] = f.FollowUpActionFactory(
        title=DERIVED["red_action_batt"],
        sector=batt,
        owner=batt_official,
        marking=Marking.RED,
        named_users=[secretariat],
        due_on=today + datetime.timedelta(days=7),
        **authored,
    )
    # A long-overdue AMBER action of semiconductors: reminders to its owner, escalation to
    # the sector lead.
    world["overdue_action"] = f.FollowUpActionFactory(
        title=DERIVED["overdue_action"],
        sector=semi,
        owner=official,
        due_on=today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS + 3),
        **authored,
    )
    FollowUpAction.objects.filter(pk=world["red_action"].pk).update(
        due_on=today + datetime.timedelta(days=1)
    )
    semi.lead, batt.lead = official, batt_official
    semi.save(update_fields=["lead"])
    batt.save(update_fields=["lead"])

    # The first edition: the world's draft, retaken now, then published.
    first = plan_revision_refresh(revision=world["draft"], actor=secretariat)
    world["rev1"] = plan_revision_publish(revision=first, actor=secretariat)

    # Between the editions: finding 1's change of sources, and more concerns.
    threat = world["threat_unlinked"]
    Threat.objects.filter(pk=threat.pk).update(
        source_concern=world["concern_a"], source_session=world["session_a"]
    )
    threat.chokepoints.set([world["chokepoint_a"]])
    world["concern_d"] = f.ConcernFactory(
        title=DERIVED["concern_d"],
        organization=org_d,
        submitted_by=submitter[org_d],
        sector=semi,
        category=code["2-2"],
        marking=Marking.AMBER,
    )
    world["red_concern_b"] = f.ConcernFactory(
        title=DERIVED["red_concern_b"],
        organization=world["org_b"],
        submitted_by=users["company_b"],
        sector=semi,
        category=code["2-2"],
        marking=Marking.RED,
        named_users=[red_reader],
    )
    world["concern_e"] = f.ConcernFactory(
        title=DERIVED["concern_e"],
        organization=org_e,
        submitted_by=submitter[org_e],
        sector=batt,
        category=code["2-1"],
        marking=Marking.AMBER,
    )
    second = plan_revision_start(actor=secretariat, notes="第2版")
    world["rev2"] = plan_revision_publish(revision=second, actor=secretariat)

    # Officials who joined two weeks ago and take a weekly digest.
    User.objects.filter(role__in=[Role.OFFICIAL, Role.SECRETARIAT]).update(
        digest_frequency=DigestFrequency.WEEKLY,
        date_joined=timezone.now() - datetime.timedelta(days=14),
    )
    for user in users.values():
        user.refresh_from_db()
    # The semiconductors notice links A's AMBER chokepoint and batteries' AMBER one (as an
    # edit could not: written directly), to show the links are hidden from who may not
    # see them; a second GREEN notice reaches every semiconductor company.
    world["notice"].chokepoints.set(
        ChokepointTechnology.objects.filter(pk=world["chokepoint_a"].pk)
        | ChokepointTechnology.objects.filter(sector=batt)
    )
    world["notice_all"] = f.NoticeFactory(title_ja="半導体全社向け周知: 管理強化", sectors=[semi])
    for key in ("red_action", "semi", "batt"):
        world[key].refresh_from_db()
    return world


# -- who may see what, written out -------------------------------------------------------


@dataclass(frozen=True)
class Record:
    model: type
    pk: int
    title: str
    marking: str
    sector: str  # the sector code ("" for a session: its sectors are several)


@dataclass
class Oracle:
    """The visibility table of DOMAIN.md, for one reader: `visible_to`, except that a RED
    item is seen only by the people named on it (whatever else the code says)."""

    user: User | None
    records: list[Record]
    other_secrets: tuple[str, ...] = ()

    @cached_property
    def visible(self) -> set[tuple[type, int]]:
        user = self.user
        if user is None or not user.is_active:
            return set()
        seen = set()
        for model in MARKED_MODELS:
            allowed = model.objects.visible_to(user)
            red = model.objects.filter(marking=Marking.RED).exclude(named_users=user)
            pks = set(allowed.values_list("pk", flat=True)) - set(red.values_list("pk", flat=True))
            seen |= {(model, pk) for pk in pks}
        return seen

    def may_see(self, record) -> bool:
        return (type(record), record.pk) in self.visible

    @cached_property
    def hidden(self) -> list[Record]:
        return [r for r in self.records if (r.model, r.pk) not in self.visible]

    @cached_property
    def hidden_titles(self) -> list[str]:
        """Titles of hidden records; not those that are part of a title the reader sees."""
        shown = [r.title for r in self.records if (r.model, r.pk) in self.visible]
        return [
            r.title
            for r in self.hidden
            if len(r.title) >= 6 and not any(r.title in title for title in shown)
        ]

    @cached_property
    def hidden_id_patterns(self) -> list[tuple[Record, re.Pattern]]:
        return [(r, re.compile(rf"(?<![\w.]){r.pk}(?![\w])")) for r in self.hidden]

    def leaks(self, text: str) -> list[str]:
        """What of the hidden records (title, id) and other secrets `text` shows."""
        found = [f"title {title!r}" for title in self.hidden_titles if title in text]
        found += [f"secret {secret!r}" for secret in self.other_secrets if secret in text]
        found += [
            f"id {record.pk} of {record.model.__name__} {record.title!r} ({record.marking})"
            for record, pattern in self.hidden_id_patterns
            if pattern.search(text)
        ]
        return found


def world_records() -> list[Record]:
    records = []
    for model, title_field in MARKED_MODELS.items():
        sector = "sector__code" if model is not DialogueSession else None
        fields = ["pk", title_field, "marking"] + ([sector] if sector else [])
        # Only the world's own rows (from ID_STARTS on): a row another test committed in
        # this test database (the suite runs in parallel, on one database per worker) is
        # nobody's secret here.
        for row in model.objects.filter(pk__gte=ID_STARTS[model]).values_list(*fields):
            records.append(Record(model, row[0], row[1], row[2], row[3] if sector else ""))
    assert {r.model for r in records} == set(ID_STARTS), "the world has no distinctive ids"
    return records


def organization_names(organization: Organization) -> tuple[str, ...]:
    return tuple(
        value
        for value in (organization.name, organization.name_en, organization.corporate_number)
        if value
    )


def oracles(world: dict) -> dict[str, Oracle]:
    """One per role; company users also must not see other organizations' names."""
    records = world_records()
    shown = never_shown()
    result = {}
    for role in ROLES:
        user = world["users"].get(role)
        secrets = list(shown[role])
        if user is not None and user.role == Role.COMPANY:
            for org in Organization.objects.exclude(pk=user.organization_id):
                secrets += organization_names(org)
        result[role] = Oracle(user, records, tuple(dict.fromkeys(secrets)))
    return result


def oracle_for_user(user: User | None) -> Oracle:
    """For an e-mail recipient who may be none of the roles."""
    secrets: list[str] = []
    if user is None or user.role == Role.COMPANY:
        own = user.organization_id if user is not None else None
        for org in Organization.objects.exclude(pk=own):
            secrets += organization_names(org)
    return Oracle(user, world_records(), tuple(secrets))
