"""Derived-artefact sweep: everything computed from records obeys the records' visibility.

Diffs, snapshots, aggregates, e-mails, calendar feeds, search results, exports, their file
names and markings are produced for every role of the access sweep (anonymous, company A,
company A's portal admin, company B, the semiconductors and the batteries official, the
secretariat, a deactivated company A user) from one world
(tests/support/worlds/derived.py), and each is searched for what that role may not see:

- the title and the id of every threat, session, concern, action and chokepoint the role
  may not see (`Oracle`: the visibility table of DOMAIN.md; RED only for the named). Ids
  are distinctive (concerns 73xx, sessions 74xx, threats 75xx, actions 76xx, chokepoints
  77xx), so "#7301" or `"new": 7301` can only be that record;
- the world's other secrets for the role (`never_shown`: other companies, internal notes);
- company names anywhere in the action plan (its pages, diff and files promise none);
- the global number of a concern ("#7301") on what a company user receives;
- counts by sector × threat code: each is the number of concerns from at least 3
  organizations, or "fewer than 3", and RED concerns are in no count but their named
  people's;
- an export's marking (header and banner) at least that of every record it shows.

E-mails are sent by the real services (notifications, reminders and escalations, digests,
invitations, password resets) with the locmem backend; each message is checked for its
recipient: may they see the record it is about, and what does it show them.

Completeness: `ARTEFACT_KINDS` is the list of what is derived; every kind has a producer;
every e-mail template under templates/emails/ has a row in `EMAIL_ROWS`; every URL pattern
and every API operation that returns derived data has a row (`PAGE_ROWS`, `API_ROWS`), and
the producers fetch exactly the routes their rows name.

A failure lists the leaks, one line each: role, artefact, what leaked.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone

from dialogue.disclosure import K_ANONYMITY
from dialogue.enums import ConcernStatus, Marking, NoticeFrequency, Role
from dialogue.models import (
    ChokepointReviewReminder,
    ChokepointTechnology,
    Concern,
    DialogueSession,
    Digest,
    FollowUpAction,
    Notice,
    Notification,
    Organization,
    ReferralReminder,
    Reminder,
    Sector,
    SupportScheme,
    Threat,
    User,
)
from dialogue.selectors.dashboard import dashboard_for, threat_heat_map
from dialogue.selectors.digests import digest_content
from dialogue.selectors.search import workspace_search
from dialogue.selectors.sectors import sector_index
from dialogue.services.chokepoint_reviews import chokepoint_review_sweep
from dialogue.services.concerns import concern_change_status, concern_message_post
from dialogue.services.digests import digest_round, digests_create
from dialogue.services.invitations import invitation_create
from dialogue.services.notice_mails import notice_mail_round
from dialogue.services.notifications import notifications_dispatch, notify_concern_submitted
from dialogue.services.referral_reminders import referral_reminder_sweep
from dialogue.services.referrals import referrals_propose
from dialogue.services.reminders import reminder_sweep
from dialogue.text_search import matching, search_words
from tests.security.artefacts import Artefact, fetch, read, url_name
from tests.support.routes import page_routes, schema_operations
from tests.support.sweep import api_client, browser
from tests.support.worlds import rolled_back
from tests.support.worlds.access import ROLES
from tests.support.worlds.derived import (
    FEW_CELL,
    MANY_CELL,
    RED_ONLY_CELL,
    Oracle,
    build_derived_world,
    distinctive_ids,
    oracle_for_user,
    oracles,
    organization_names,
)

FEWER = {"3 未満", "fewer than 3"}  # disclosure.FEWER_THAN_K in Japanese and English
OFFICIALS = ("sector_official", "other_sector_official", "secretariat")
COMPANIES = ("company_a", "company_a_admin", "company_b")

# -- what is derived ---------------------------------------------------------------------

ARTEFACT_KINDS = (
    "plan diff (API)",
    "plan diff (page)",
    "plan revision pages",
    "plan export XLSX",
    "plan export CSV",
    "plan export PDF",
    "list exports",
    "export jobs",
    "dashboard",
    "sector pages",
    "digests",
    "calendar feed",
    "search (page)",
    "search (API filters)",
    "concern references (portal)",
    "notices",
    "forum pages",
)

# Named URL patterns outside the API that show derived data → the artefact kinds that
# fetch them.
PAGE_ROWS = {
    "plans:plan-diff": ("plan diff (page)",),
    "plans:plan-list": ("plan revision pages",),
    "plans:plan-detail": ("plan revision pages",),
    "plans:plan-export": ("plan export XLSX", "plan export CSV", "plan export PDF"),
    "plans:list-export": ("list exports",),
    "plans:export-job-list": ("export jobs",),
    "plans:export-job": ("export jobs",),
    "plans:export-job-download": ("export jobs",),
    "workspace:dashboard": ("dashboard",),
    "workspace:sector-list": ("sector pages",),
    "workspace:sector-detail": ("sector pages",),
    "workspace:digest-list": ("digests",),
    "workspace:digest-detail": ("digests",),
    "workspace:calendar": ("calendar feed",),
    "workspace:calendar-feed": ("calendar feed",),
    "workspace:search": ("search (page)",),
    # A forum's meetings, open actions and topics raised across sectors.
    "workspace:forum-list": ("forum pages",),
    "workspace:forum-detail": ("forum pages",),
    "portal:home": ("concern references (portal)",),
    "portal:concern-list": ("concern references (portal)",),
    "portal:concern-detail": ("concern references (portal)",),
    "workspace:notice-list": ("notices",),
    "workspace:notice-detail": ("notices",),
    "workspace:notice-publish": ("notices",),
    "workspace:notice-reach": ("notices",),
    "portal:notice-list": ("notices",),
    "portal:notice-detail": ("notices",),
}
# Pages whose name says they derive data: each must have a row above.
DERIVED_PAGE = re.compile(
    r"diff|changes|export|calendar|search|digest|dashboard|sector|plan|summary|report|stats|heat"
)
# Pages that match DERIVED_PAGE but derive nothing: writes and settings forms.
NOT_DERIVED_PAGES = {
    "plans:plan-start",
    "plans:plan-refresh",
    "plans:plan-publish",
    "plans:plan-delete",
    "workspace:digest-preferences",
}

# API operations that return derived data → the artefact kinds that fetch them.
API_ROWS = {
    ("GET", "/api/v1/plan-revisions/{id}/diff/"): ("plan diff (API)",),
    ("GET", "/api/v1/plan-revisions/{id}/export/"): (
        "plan export XLSX",
        "plan export CSV",
        "plan export PDF",
    ),
    ("GET", "/api/v1/threats/export/"): ("list exports",),
    ("GET", "/api/v1/actions/export/"): ("list exports",),
    ("GET", "/api/v1/chokepoints/export/"): ("list exports",),
    ("GET", "/api/v1/export-jobs/"): ("export jobs",),
    ("GET", "/api/v1/export-jobs/{id}/"): ("export jobs",),
    ("GET", "/api/v1/export-jobs/{id}/download/"): ("export jobs",),
    # Lists with a `search` filter: their results and counts.
    ("GET", "/api/v1/threats/"): ("search (API filters)",),
    ("GET", "/api/v1/chokepoints/"): ("search (API filters)",),
    ("GET", "/api/v1/sessions/"): ("search (API filters)",),
    ("GET", "/api/v1/concerns/"): ("search (API filters)",),
    ("GET", "/api/v1/actions/"): ("search (API filters)",),
    ("GET", "/api/v1/organizations/"): ("search (API filters)",),
    ("GET", "/api/v1/notices/"): ("notices",),
    ("GET", "/api/v1/notices/{id}/"): ("notices",),
    ("GET", "/api/v1/support-organizations/"): ("search (API filters)",),
    ("GET", "/api/v1/support-schemes/"): ("search (API filters)",),
    ("GET", "/api/v1/dependencies/"): ("search (API filters)",),
}
DERIVED_API = re.compile(
    r"diff|summary|aggregate|search|export|calendar|digest|stat|count|heat|report"
)

# E-mail templates (templates/emails/<name>_subject.txt) → what sends them in the scenario.
EMAIL_ROWS = {
    "notification_concern_submitted": "notify_concern_submitted + notifications_dispatch",
    "notification_concern_reply": "concern_message_post + notifications_dispatch",
    "notification_concern_status": "concern_change_status + notifications_dispatch",
    "reminder": "reminder_sweep (due, overdue, escalation)",
    "chokepoint_review": "chokepoint_review_sweep (review dates of every chokepoint)",
    "digest": "digest_round",
    "invitation": "invitation_create",
    "password_reset": "the portal's password-reset form",
    "notice": "notice_mail_round (every frequency that gets e-mail)",
    "notification_referral_proposed": "referrals_propose + notifications_dispatch",
    "referral_reminder": "referral_reminder_sweep (a referral waiting past the setting)",
}
EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "emails"


def email_templates() -> list[str]:
    return sorted(p.name.removesuffix("_subject.txt") for p in EMAIL_DIR.glob("*_subject.txt"))


# -- the world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def derived(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module in a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("derived-media")
    with rolled_back(django_db_blocker, media), distinctive_ids():
        world = build_derived_world()
        # The digests owed to every official (sent by the e-mail scenario).
        digests_create(today=timezone.localdate())
        world["oracles"] = oracles(world)
        yield world


def oracle(world: dict, role: str) -> Oracle:
    return world["oracles"][role]


# -- producers: each role's artefacts of one kind ----------------------------------------


@dataclass(frozen=True)
class Producer:
    produce: Callable[[dict, str], list[Artefact]]
    routes: tuple[str, ...]  # URL names (pages) or API routes the producer fetches


def _get(world: dict, role: str, kind: str, url: str, *, api: bool = False) -> Artefact:
    """Fetch `url` as `role`; it must be one of the routes the kind's producer declares."""
    client = api_client(world, role) if api else browser(world, role)
    routes = tuple(_api_route(r) if r.startswith("/api/") else r for r in PRODUCERS[kind].routes)
    return fetch(client, url, expect_routes=routes)


def _api_route(path: str) -> str:
    """An operation's path as the resolver names its route."""
    return url_name(re.sub(r"\{\w+\}", "1", path))


def plan_urls(world: dict) -> list[int]:
    return [world["rev2"].pk, world["rev1"].pk]


def diff_api(world, role):
    kind = "plan diff (API)"
    return [
        _get(world, role, kind, f"/api/v1/plan-revisions/{pk}/diff/", api=True)
        for pk in plan_urls(world)
    ]


def diff_page(world, role):
    kind = "plan diff (page)"
    return [_get(world, role, kind, f"/plans/{pk}/changes/") for pk in plan_urls(world)]


def plan_pages(world, role):
    kind = "plan revision pages"
    found = [_get(world, role, kind, "/plans/")]
    for line_kind in ("threat", "chokepoint", "action", "concern_aggregate"):
        found.append(_get(world, role, kind, f"/plans/{world['rev2'].pk}/?kind={line_kind}"))
    return found


def plan_export(format: str):
    kind = f"plan export {format.upper()}"

    def produce(world, role):
        pk = world["rev2"].pk
        if format == "pdf" and role == "sector_official":
            # The slowest writer, of the document the other formats carry: the batteries
            # official (hidden ids) and the secretariat (counts, names) are enough.
            return []
        found = [_get(world, role, kind, f"/plans/{pk}/export/?format={format}")]
        if format != "pdf":
            # PDF is the slow writer of the same document: the other formats cover the
            # API and the maximum marking.
            url = f"/plans/{pk}/export/?format={format}&max_marking=GREEN"
            found.append(_get(world, role, kind, url))
            url = f"/api/v1/plan-revisions/{pk}/export/?format={format}"
            found.append(_get(world, role, kind, url, api=True))
        else:
            for artefact in found:
                # Without a Japanese font the text comes back as boxes: say so, never pass.
                artefact.pdf_readable = not artefact.shown or world["rev2"].label in artefact.text
        return found

    return produce


def list_exports(world, role):
    kind = "list exports"
    found = []
    for register in ("threats", "actions", "chokepoints"):
        for format in ("csv", "xlsx"):
            found.append(_get(world, role, kind, f"/exports/lists/{register}/?format={format}"))
        found.append(_get(world, role, kind, f"/api/v1/{register}/export/?format=csv", api=True))
    return found


def export_jobs(world, role):
    kind, pk = "export jobs", world["done_export"].pk
    return [
        _get(world, role, kind, "/exports/"),
        _get(world, role, kind, f"/exports/{pk}/"),
        _get(world, role, kind, f"/exports/{pk}/download/"),
        _get(world, role, kind, "/api/v1/export-jobs/", api=True),
        _get(world, role, kind, f"/api/v1/export-jobs/{pk}/", api=True),
        _get(world, role, kind, f"/api/v1/export-jobs/{pk}/download/", api=True),
    ]


def dashboard(world, role):
    return [_get(world, role, "dashboard", "/")]


def sector_pages(world, role):
    urls = ("/sectors/", "/sectors/semiconductors/", "/sectors/batteries/")
    return [_get(world, role, "sector pages", url) for url in urls]


def digests(world, role):
    kind = "digests"
    found = [_get(world, role, kind, "/digests/")]
    for pk in Digest.objects.order_by("pk").values_list("pk", flat=True):
        found.append(_get(world, role, kind, f"/digests/{pk}/"))
    return found


def calendar(world, role):
    kind = "calendar feed"
    found = [_get(world, role, kind, "/calendar/")]
    if role != "anonymous":
        found.append(_get(world, role, kind, f"/calendar.ics?token={world['feeds'][role]}"))
    return found


# Words searched for: none is part of a title the sweep looks for (the page repeats them).
SEARCH_WORDS = ("赤区分", "AMBER", "GREEN", "懸念", "アクション", "電池", "調達")


def search_page(world, role):
    return [_get(world, role, "search (page)", f"/search/?q={word}") for word in SEARCH_WORDS]


API_SEARCH_WORDS = ("赤区分", "AMBER", "調達")
SEARCHED_LISTS = (
    "threats",
    "chokepoints",
    "sessions",
    "concerns",
    "actions",
    "organizations",
    "support-organizations",
    "support-schemes",
    "dependencies",
)


def search_api(world, role):
    kind = "search (API filters)"
    return [
        _get(world, role, kind, f"/api/v1/{resource}/?search={word}", api=True)
        for resource in SEARCHED_LISTS
        for word in API_SEARCH_WORDS
    ]


def portal_concerns(world, role):
    kind = "concern references (portal)"
    found = [_get(world, role, kind, url) for url in ("/portal/", "/portal/concerns/")]
    reader = oracle(world, role)
    for concern in Concern.objects.order_by("pk"):
        if reader.may_see(concern):
            # Company users address their concerns by their organization's reference.
            found.append(_get(world, role, kind, f"/portal/concerns/{concern.reference}/"))
    return found


NOTICE_ROUTES = (
    "workspace:notice-list",
    "workspace:notice-detail",
    "workspace:notice-publish",
    "workspace:notice-reach",
    "portal:notice-list",
    "portal:notice-detail",
    "/api/v1/notices/",
    "/api/v1/notices/{id}/",
)


def notices(world, role):
    """Notices, their links (one links AMBER chokepoints) and reach, on every surface."""
    kind = "notices"
    found = [_get(world, role, kind, url) for url in ("/notices/", "/portal/notices/")]
    found.append(_get(world, role, kind, "/api/v1/notices/", api=True))
    for notice in Notice.objects.order_by("pk"):
        for url in (f"/notices/{notice.pk}/", f"/portal/notices/{notice.pk}/"):
            found.append(_get(world, role, kind, url))
        found.append(_get(world, role, kind, f"/notices/{notice.pk}/reach/"))
        found.append(_get(world, role, kind, f"/api/v1/notices/{notice.pk}/", api=True))
    found.append(_get(world, role, kind, f"/notices/{world['notice_draft'].pk}/publish/"))
    return found


def forum_pages(world, role):
    kind = "forum pages"
    urls = ("/forums/", f"/forums/{world['forum'].code}/")
    return [_get(world, role, kind, url) for url in urls]


PLAN_EXPORT_ROUTES = ("plans:plan-export", "/api/v1/plan-revisions/{id}/export/")
PRODUCERS: dict[str, Producer] = {
    "plan diff (API)": Producer(diff_api, ("/api/v1/plan-revisions/{id}/diff/",)),
    "plan diff (page)": Producer(diff_page, ("plans:plan-diff",)),
    "plan revision pages": Producer(plan_pages, ("plans:plan-list", "plans:plan-detail")),
    "plan export XLSX": Producer(plan_export("xlsx"), PLAN_EXPORT_ROUTES),
    "plan export CSV": Producer(plan_export("csv"), PLAN_EXPORT_ROUTES),
    "plan export PDF": Producer(plan_export("pdf"), PLAN_EXPORT_ROUTES),
    "list exports": Producer(
        list_exports,
        (
            "plans:list-export",
            "/api/v1/threats/export/",
            "/api/v1/actions/export/",
            "/api/v1/chokepoints/export/",
        ),
    ),
    "export jobs": Producer(
        export_jobs,
        (
            "plans:export-job-list",
            "plans:export-job",
            "plans:export-job-download",
            "/api/v1/export-jobs/",
            "/api/v1/export-jobs/{id}/",
            "/api/v1/export-jobs/{id}/download/",
        ),
    ),
    "dashboard": Producer(dashboard, ("workspace:dashboard",)),
    "sector pages": Producer(sector_pages, ("workspace:sector-list", "workspace:sector-detail")),
    "digests": Producer(digests, ("workspace:digest-list", "workspace:digest-detail")),
    "calendar feed": Producer(calendar, ("workspace:calendar", "workspace:calendar-feed")),
    "search (page)": Producer(search_page, ("workspace:search",)),
    "search (API filters)": Producer(
        search_api, tuple(f"/api/v1/{resource}/" for resource in SEARCHED_LISTS)
    ),
    "concern references (portal)": Producer(
        portal_concerns, ("portal:home", "portal:concern-list", "portal:concern-detail")
    ),
    "notices": Producer(notices, NOTICE_ROUTES),
    "forum pages": Producer(forum_pages, ("workspace:forum-list", "workspace:forum-detail")),
}

# Who must see something in each kind: the sweep would pass on an empty page otherwise.
# kind → (role, a function of the world giving a string that role's artefacts must show).
POSITIVE = {
    "plan diff (API)": ("secretariat", lambda w: str(w["concern_a"].pk)),
    "plan diff (page)": ("secretariat", lambda w: w["threat_unlinked"].title),
    "plan revision pages": ("other_sector_official", lambda w: w["threat_unlinked"].title),
    "plan export XLSX": ("sector_official", lambda w: w["threat_unlinked"].title),
    "plan export CSV": ("sector_official", lambda w: w["threat_unlinked"].title),
    "plan export PDF": ("secretariat", lambda w: w["rev2"].label),
    "list exports": ("sector_official", lambda w: w["threat_semi"].title),
    "export jobs": ("sector_official", lambda w: w["threat_semi"].title),
    "dashboard": ("sector_official", lambda w: w["concern_a"].title),
    "sector pages": ("sector_official", lambda w: w["concern_d"].title),
    "digests": ("sector_official", lambda w: "2-2"),
    "calendar feed": ("sector_official", lambda w: str(w["session_a"].pk)),
    "search (page)": ("sector_official", lambda w: w["red_threat"].title),
    "search (API filters)": ("secretariat", lambda w: w["red_action_batt"].title),
    "concern references (portal)": ("company_a", lambda w: w["concern_a"].title),
    "notices": ("company_a", lambda w: w["chokepoint_a"].name),
    # The forum's official sees the sector-less session and the threat it raised.
    "forum pages": ("sector_official", lambda w: w["threat_semi"].title),
}

# The plan's exports promise no company names (DOMAIN.md, flow 5), whoever reads them.
PLAN_EXPORTS = {"plan export XLSX", "plan export CSV", "plan export PDF"}


# -- checks beyond the oracle ------------------------------------------------------------


def company_names(world: dict, artefact: Artefact) -> list[str]:
    return [
        f"company name {name!r} in the action plan"
        for org in Organization.objects.order_by("pk")
        for name in organization_names(org)
        if name in artefact.all_text
    ]


def global_concern_numbers(world: dict, artefact: Artefact) -> list[str]:
    """A company user gets its own reference for a concern, never the global number
    (which tells how many concerns all companies have raised)."""
    return [
        f"global concern number #{pk}"
        for pk in Concern.objects.values_list("pk", flat=True)
        if re.search(rf"[#＃]\s*{pk}(?!\d)", artefact.all_text)
    ]


def marking_of(value: str) -> str | None:
    value = (value or "").strip().upper().removeprefix("TLP:")
    return value if value in Marking.values else None


def marking_covers(world: dict, role: str, artefact: Artefact) -> list[str]:
    """An export's marking is at least that of every record whose title it shows."""
    if "X-Marking" not in artefact.headers or not artefact.shown:
        return []
    header = marking_of(artefact.headers["X-Marking"])
    if header is None:
        return [f"unreadable marking {artefact.headers['X-Marking']!r}"]
    problems = []
    for name, rows in artefact.sheets.items():
        # Every sheet and CSV file starts with its banner: the marking first.
        banner = marking_of(str(rows[0][0])) if rows and rows[0] else None
        if banner != header:
            problems.append(f"sheet {name!r}: banner {rows[0][:1] if rows else ()}, file {header}")
    capped = "max_marking=GREEN" in artefact.label
    if capped and Marking.rank(header) > Marking.rank("GREEN"):
        problems.append(f"capped at GREEN but marked {header}")
    if capped:
        # A file for wider circulation names nothing above its cap, not even by number.
        problems += [
            f"capped at GREEN but cites {record.model.__name__} {record.pk} ({record.marking})"
            for record in oracle(world, role).records
            if Marking.rank(record.marking) > Marking.rank("GREEN")
            and re.search(rf"#{record.pk}(?!\d)", artefact.text)
        ]
    for record in oracle(world, role).records:
        shows = len(record.title) >= 6 and record.title in artefact.text
        if shows and Marking.rank(record.marking) > Marking.rank(header):
            problems.append(
                f"marked {header} but shows {record.model.__name__} {record.pk} ({record.marking})"
            )
    return problems


def pdf_readable(world: dict, role: str, artefact: Artefact) -> list[str]:
    if artefact.pdf_readable:
        return []
    return ["PDF text cannot be read back (no Japanese font?): nothing in it was checked"]


# Concern counts by sector × threat code.


def _cell_concerns(cell: tuple[str, str], *, reader: Oracle | None) -> tuple[int, int]:
    """(concerns, organizations) behind a cell: without RED for everyone (reader None),
    or what the reader may see (a RED concern counts for its named people only)."""
    sector, category = cell
    concerns = Concern.objects.filter(sector__code=sector, category__code=category)
    if reader is None:
        concerns = concerns.exclude(marking=Marking.RED)
    else:
        concerns = [c for c in concerns if reader.may_see(c)]
    concerns = list(concerns)
    return len(concerns), len({c.organization_id for c in concerns})


def shown_count(cell: tuple[str, str], *, reader: Oracle | None = None) -> int | None:
    """The count a reader may be shown, None for "fewer than 3"."""
    concerns, organizations = _cell_concerns(cell, reader=reader)
    return concerns if organizations >= K_ANONYMITY else None


def reads_sector(user: User | None, sector_code: str) -> bool:
    if user is None or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return Sector.objects.filter(code=sector_code, officials=user).exists()


def _cell_value(value) -> str:
    return "" if value is None else str(value).strip()


def _expected_plan_cell(world, role, cell, capped) -> str:
    if capped or not reads_sector(world["users"].get(role), cell[0]):
        return ""
    count = shown_count(cell)
    return "fewer" if count is None else str(count)


def _same(found: str, expected: str) -> bool:
    if expected in ("", "fewer"):  # nothing to show: empty or "fewer than 3" hide alike
        return found == "" or found in FEWER
    return found == expected


def plan_sheet_counts(world: dict, role: str, artefact: Artefact) -> list[str]:
    """Heat map, sectors and changes sheets of a plan export (XLSX or zipped CSV)."""
    if not artefact.sheets:
        return []
    capped = "max_marking=GREEN" in artefact.label
    problems = []
    rows = [row for sheet in artefact.sheets.values() for row in sheet]
    cells = (MANY_CELL, FEW_CELL, RED_ONLY_CELL)
    heat = {
        (row[0], row[2]): _cell_value(row[7])
        for row in rows
        if len(row) == 8 and re.fullmatch(r"\d-\d", _cell_value(row[2]))
    }
    for cell in cells:
        expected = _expected_plan_cell(world, role, cell, capped)
        if cell not in heat:
            problems.append(f"heat map has no row for {cell}")
        elif not _same(heat[cell], expected):
            problems.append(
                f"heat map concerns {cell}: shows {heat[cell]!r}, expected {expected!r} "
                "(non-RED concerns; a number only behind ≥ 3 organizations)"
            )
    for (sector, category), value in heat.items():
        if value and value not in FEWER and shown_count((sector, category)) is None:
            problems.append(f"heat map concerns {(sector, category)}: {value!r} behind < 3 orgs")
    # The sectors sheet adds up the cells shown.
    for sector in ("semiconductors", "batteries"):
        found = [
            _cell_value(row[7])
            for row in rows
            if len(row) == 8
            and row[0] == sector
            and not re.fullmatch(r"\d-\d", _cell_value(row[2]))
        ]
        if capped or not reads_sector(world["users"].get(role), sector):
            expected = ""
        else:
            categories = Concern.objects.filter(sector__code=sector).values_list(
                "category__code", flat=True
            )
            expected = str(sum(shown_count((sector, code)) or 0 for code in set(categories)))
        if found and not _same(found[0], expected or ""):
            problems.append(
                f"sectors sheet concerns of {sector}: {found[0]!r}, expected {expected!r}"
            )
    # The changes sheet: a cell's previous and current values.
    for row in rows:
        if len(row) == 9 and isinstance(row[3], str) and " × " in row[3]:
            cell = tuple(row[3].split(" × "))
            allowed = {"", *FEWER}
            count = shown_count(cell)
            if count is not None:
                allowed.add(str(count))
            for value in (_cell_value(row[7]), _cell_value(row[8])):
                if value not in allowed:
                    problems.append(
                        f"changes sheet concerns {cell}: {value!r}, may show {sorted(allowed)}"
                    )
    return problems


AGGREGATE_LINE = re.compile(r"([a-z][\w-]*) × (\d-\d): ([^<]*)<")
DIFF_ROW = re.compile(r"([a-z][\w-]*) × (\d-\d)[^<]*</td>\s*<td>(.*?)</td>", re.S)
DIFF_VALUE = re.compile(r"<(?:del|ins)>(.*?)</(?:del|ins)>")


def page_counts(world: dict, role: str, artefact: Artefact) -> list[str]:
    """Concern counts on the plan's pages ("semiconductors × 2-2: 3", "3 未満 → 3")."""
    found = [((m[1], m[2]), m[3]) for m in AGGREGATE_LINE.finditer(artefact.text)]
    for match in DIFF_ROW.finditer(artefact.text):
        cell = (match[1], match[2])
        found += [(cell, value) for value in DIFF_VALUE.findall(match[3])]
    problems = []
    for cell, value in found:
        count = shown_count(cell)
        allowed = {"", "—", *FEWER} | ({str(count)} if count is not None else set())
        if value.strip() not in allowed:
            problems.append(f"concerns {cell}: shows {value.strip()!r}, may show {sorted(allowed)}")
    return problems


def diff_counts(world: dict, role: str, artefact: Artefact) -> list[str]:
    """The API diff: a concern count only behind ≥ 3 organizations, RED not in it."""
    if not artefact.shown or not isinstance(artefact.data, list):
        return []
    problems = []
    for change in artefact.data:
        if change.get("kind") != "concern_aggregate":
            continue
        data = change.get("data", {})
        cell = (data.get("sector"), data.get("category"))
        states = [data]
        fields = change.get("fields", {})
        if fields:
            states.append({name: values.get("old") for name, values in fields.items()})
        count = shown_count(cell)
        for state in states:
            concerns, orgs = state.get("concerns"), state.get("organizations")
            if not isinstance(concerns, int):
                continue  # left out ("fewer than 3"): that hides nothing
            if orgs is not None and orgs < K_ANONYMITY:
                problems.append(
                    f"diff {cell}: concerns {concerns} behind {orgs} organization(s) (k ≥ 3)"
                )
            elif state is data and concerns != count:
                problems.append(
                    f"diff {cell}: concerns {concerns}, expected {count} (RED left out)"
                )
    return problems


def digest_counts(world: dict, role: str, artefact: Artefact) -> list[str]:
    """A digest's concern rows: None ("fewer than 3") or the count of ≥ 3 organizations."""
    if not artefact.label.startswith("digest content"):
        return []
    problems = []
    for row in artefact.data["new_concerns"]:
        cell = (row["sector"], row["category"])
        expected = shown_count(cell, reader=oracle(world, role))
        if row["count"] != expected:
            problems.append(f"digest concerns {cell}: {row['count']}, expected {expected}")
    return problems


def digest_contents(world, role):
    """The digest selector's content for the role, as stored in a digest (and its page)."""
    user = world["users"].get(role)
    if user is None or role not in OFFICIALS:
        return []
    content = digest_content(user, since=None, today=timezone.localdate())
    artefact = Artefact(label=f"digest content for {user.username}", data=content)
    read(artefact, json.dumps(content, ensure_ascii=False).encode(), "application/json")
    return [artefact]


CHECKS: dict[str, list[Callable]] = {
    "plan diff (API)": [diff_counts],
    "plan diff (page)": [page_counts],
    "plan revision pages": [page_counts],
    "plan export XLSX": [plan_sheet_counts, marking_covers],
    "plan export CSV": [plan_sheet_counts, marking_covers],
    "plan export PDF": [marking_covers, pdf_readable],
    "list exports": [marking_covers],
    "export jobs": [marking_covers],
    "digests": [digest_counts],
}
EXTRA = {"digests": digest_contents}  # artefacts made without a request


def artefacts_of(world: dict, kind: str, role: str) -> list[Artefact]:
    found = PRODUCERS[kind].produce(world, role)
    if kind in EXTRA:
        found += EXTRA[kind](world, role)
    return found


# -- the sweep ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ARTEFACT_KINDS)
def test_derived_artefact_shows_each_role_only_what_it_may_see(derived, kind):
    assert kind in PRODUCERS, "an artefact kind without a producer"
    problems: list[str] = []
    shown: dict[str, str] = {}
    for role in ROLES:
        reader = oracle(derived, role)
        for artefact in artefacts_of(derived, kind, role):
            where = f"{role}: {artefact.label}"
            if artefact.status >= 500:
                problems.append(f"{where}: answered {artefact.status}")
            shown[role] = shown.get(role, "") + artefact.all_text
            problems += [f"{where}: {leak}" for leak in reader.leaks(artefact.all_text)]
            if kind == "plan export PDF" and artefact.shown:
                problems += [f"{where}: {leak}" for leak in pdf_id_leaks(reader, artefact)]
            for check in CHECKS.get(kind, []):
                problems += [f"{where}: {p}" for p in check(derived, role, artefact)]
            if kind in PLAN_EXPORTS:
                problems += [f"{where}: {p}" for p in company_names(derived, artefact)]
            if role in COMPANIES:
                problems += [f"{where}: {p}" for p in global_concern_numbers(derived, artefact)]
    assert not problems, f"{len(problems)} leak(s) in {kind}:\n" + "\n".join(problems)
    role, expected = POSITIVE[kind]
    assert expected(derived) in shown.get(role, ""), (
        f"{role} should see {expected(derived)!r} in {kind}: the sweep checks nothing"
    )


def pdf_id_leaks(reader: Oracle, artefact: Artefact) -> list[str]:
    """PDF text runs words together: look for "#7301" with digits around it only."""
    return [
        f"id {record.pk} of {record.model.__name__} {record.title!r} ({record.marking})"
        for record in reader.hidden
        if re.search(rf"#{record.pk}(?!\d)", artefact.text)
        and not reader.leaks(artefact.text)  # counted once, by the oracle, if found there
    ]


# -- counts on officials' pages (the selectors behind them) ------------------------------


def _visible(reader: Oracle, model) -> list:
    return [r for r in model.objects.all() if reader.may_see(r)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", OFFICIALS)
def test_counts_on_dashboard_sectors_and_search_leave_out_what_the_reader_may_not_see(
    derived, role
):
    user, reader = derived["users"][role], oracle(derived, role)
    problems = []
    panels = dashboard_for(user)
    for name in ("my_open_actions", "overdue_actions", "new_concerns", "recent_sessions"):
        hidden = [item for item in getattr(panels, name).items if not reader.may_see(item)]
        problems += [
            f"dashboard {name}: lists and counts {type(item).__name__} {item.pk} ({item.marking})"
            for item in hidden
        ]
    threats = _visible(reader, Threat)
    found = threat_heat_map(user).total
    if found != len(threats):
        problems.append(f"dashboard heat map counts {found} threats, may see {len(threats)}")

    expected = {
        "threats": threats,
        "chokepoints": _visible(reader, ChokepointTechnology),
        "open_actions": [
            a for a in _visible(reader, FollowUpAction) if a.status in ("open", "in_progress")
        ],
        "concerns": _visible(reader, Concern),
    }
    entries = sector_index(user)
    flat = [child for entry in entries for child in [entry, *entry.children]]
    for entry in flat:
        if entry.sector.code not in ("semiconductors", "batteries"):
            continue
        for name, records in expected.items():
            count = sum(1 for r in records if r.sector_id == entry.sector.pk)
            shown = getattr(entry.counts, name)
            if isinstance(shown, int) and shown != count:  # a count left out hides nothing
                problems.append(f"sector page {entry.sector.code}: {shown} {name}, may see {count}")

    models = {
        "threats": Threat,
        "chokepoints": ChokepointTechnology,
        "sessions": DialogueSession,
        "concerns": Concern,
        "actions": FollowUpAction,
    }
    for word in SEARCH_WORDS:
        for group in workspace_search(user, word):
            if group.kind == "notices":
                # Notices are not the oracle's: counted by their own rule (querysets.py).
                hits = matching(Notice.objects.visible_to(user), search_words(word))
                count = hits.count()
            else:
                hits = matching(models[group.kind].objects.all(), search_words(word))
                count = sum(1 for r in hits if reader.may_see(r))
            if group.total != count:
                problems.append(f"search {word!r}: {group.total} {group.kind}, may see {count}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


# -- e-mails -----------------------------------------------------------------------------


@dataclass
class Sent:
    template: str
    to: list[str]
    text: str


@pytest.fixture(scope="module")
def emails(derived, django_db_blocker):
    """Every e-mail service runs once, for real, on the world (then rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield email_scenario(derived)
        transaction.set_rollback(True)


def email_scenario(world: dict) -> dict:
    users = world["users"]
    official = users["sector_official"]
    today = timezone.localdate()
    mail.outbox = []
    templates: dict[int, str] = {}

    def record(sender, template, context, **kwargs):
        match = re.fullmatch(r"emails/(\w+)_subject\.txt", getattr(template, "name", "") or "")
        if match:
            templates[len(mail.outbox)] = match.group(1)

    template_rendered.connect(record)
    try:
        started = timezone.now()
        # Concerns submitted: company A's RED one (named: A's user and the semiconductors
        # official), B's RED one (named: red-reader), A's AMBER+STRICT one, 戊田's AMBER one.
        for key in ("red_concern", "red_concern_b", "concern_a", "concern_e"):
            notify_concern_submitted(world[key])
        # An official replies on company A's RED concern and moves it on; likewise on A's
        # AMBER+STRICT concern.
        scheme = SupportScheme.objects.get(reference_key="overseas-supply-chain-diversification")
        for key in ("red_concern", "concern_a"):
            concern = Concern.objects.get(pk=world[key].pk)
            concern_message_post(concern=concern, author=official, body="確認しました。")
            concern_change_status(concern=concern, actor=official, status=ConcernStatus.IN_PROGRESS)
            # A referral proposed: the concern's own people are asked for consent.
            referrals_propose(concern=concern, actor=official, schemes=[scheme])
        notifications_dispatch()
        # The referrals wait past the setting: the official who proposed them is reminded.
        referral_reminder_sweep(
            now=timezone.now() + datetime.timedelta(days=settings.REFERRAL_REMINDER_AFTER_DAYS + 1)
        )
        # Ledger rows the world wrote by hand (a reminder to a RED action's un-named owner,
        # from before the rule) are not sent; only rows the sweep queues are judged below.
        hand_written = set(Reminder.objects.values_list("pk", flat=True))
        reminder_sweep(today=today)
        # Every chokepoint of the world is due for review: each lead hears of those they see.
        ChokepointTechnology.objects.filter(pk__gte=7701).update(review_on=today)
        chokepoint_review_sweep(today=today)
        digest_round(today=today)
        notice_mail_round(
            frequencies=[NoticeFrequency.IMMEDIATE, NoticeFrequency.DAILY, NoticeFrequency.WEEKLY]
        )
        invitation_create(
            inviter=users["company_a_admin"],
            organization=world["org_a"],
            email="derived-invitee@arupa.example.jp",
        )
        Client().post("/portal/password-reset/", {"email": users["company_a"].email})
    finally:
        template_rendered.disconnect(record)

    sent = []
    for index, message in enumerate(mail.outbox):
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        sent.append(Sent(templates.get(index, "?"), list(message.to), "\n".join(parts)))
    ledgers = {
        "notifications": [
            (n.event, n.recipient, n.concern)
            for n in Notification.objects.filter(sent_at__gte=started).select_related(
                "recipient", "concern"
            )
        ],
        "reminders": [
            ("reminder", r.recipient, r.action)
            for r in Reminder.objects.filter(sent_at__gte=started)
            .exclude(pk__in=hand_written)
            .select_related("recipient", "action")
        ],
        "reviews": [
            ("chokepoint_review", r.recipient, r.chokepoint)
            for r in ChokepointReviewReminder.objects.filter(sent_at__gte=started).select_related(
                "recipient", "chokepoint"
            )
        ],
    }
    ledgers["referral_reminders"] = [
        ("referral_reminder", r.recipient, r.referral.concern)
        for r in ReferralReminder.objects.filter(sent_at__gte=started).select_related(
            "recipient", "referral__concern"
        )
    ]
    return {"sent": sent, "ledgers": ledgers}


def recipient_oracle(world: dict, address: str) -> tuple[str, Oracle]:
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user.username, oracle_for_user(user)
    # An invitee: no account yet; may learn the inviting organization's name, nothing else.
    invitation_org = world["org_a"]
    reader = oracle_for_user(None)
    secrets = tuple(s for s in reader.other_secrets if s not in organization_names(invitation_org))
    return address, Oracle(None, reader.records, secrets)


@pytest.mark.django_db
@pytest.mark.parametrize("template", sorted(set(email_templates()) | set(EMAIL_ROWS)))
def test_email_tells_each_recipient_only_what_they_may_see(derived, emails, template):
    assert template in email_templates(), "a row in EMAIL_ROWS for a template that is gone"
    assert template in EMAIL_ROWS, "a new e-mail template: add its row and send it in the scenario"
    messages = [m for m in emails["sent"] if m.template == template]
    assert messages, f"the scenario sent no {template} e-mail: the check would pass on nothing"
    problems = []
    for message in messages:
        for address in message.to:
            name, reader = recipient_oracle(derived, address)
            where = f"{template} to {name}"
            problems += [f"{where}: {leak}" for leak in reader.leaks(message.text)]
            user = reader.user
            if user is not None and user.role == Role.COMPANY:
                artefact = Artefact(label=where, text=message.text)
                problems += [f"{where}: {p}" for p in global_concern_numbers(derived, artefact)]
    ledger = {
        "reminder": "reminders",
        "chokepoint_review": "reviews",
        "referral_reminder": "referral_reminders",
    }.get(template, "notifications")
    for event, recipient, record in emails["ledgers"][ledger]:
        about_it = template in (event, f"notification_{event}")
        if about_it and not oracle_for_user(recipient).may_see(record):
            problems.append(
                f"{template}: {recipient.username} was told about "
                f"{type(record).__name__} {record.pk} ({record.marking}) they may not see"
            )
    assert not problems, f"{len(problems)} leak(s) in {template} e-mails:\n" + "\n".join(
        sorted(set(problems))
    )


# -- completeness ------------------------------------------------------------------------


def test_every_artefact_kind_has_a_producer_and_a_positive_control():
    assert sorted(set(ARTEFACT_KINDS) - set(PRODUCERS)) == [], "artefact kinds without a producer"
    assert sorted(set(PRODUCERS) - set(ARTEFACT_KINDS)) == [], "producers of no artefact kind"
    assert sorted(set(ARTEFACT_KINDS) - set(POSITIVE)) == [], "kinds without a positive control"
    for rows in (PAGE_ROWS, API_ROWS):
        for kinds in rows.values():
            assert set(kinds) <= set(ARTEFACT_KINDS), kinds


def test_every_email_template_has_a_row():
    assert sorted(set(email_templates()) - set(EMAIL_ROWS)) == [], "templates without a row"
    assert sorted(set(EMAIL_ROWS) - set(email_templates())) == [], "rows for no template"


def test_every_page_deriving_data_has_a_row_and_its_producers_fetch_it():
    names = set(page_routes())
    derived_pages = {n for n in names if DERIVED_PAGE.search(n)} - NOT_DERIVED_PAGES
    assert sorted(derived_pages - set(PAGE_ROWS)) == [], "derived pages without a row"
    assert sorted(set(PAGE_ROWS) - names) == [], "rows for pages that are gone"
    for name, kinds in PAGE_ROWS.items():
        fetched_by = [k for k in kinds if name in PRODUCERS[k].routes]
        assert fetched_by == list(kinds), f"{name}: not fetched by {set(kinds) - set(fetched_by)}"


def _derived_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method.upper() != "GET":
                continue
            names = {p.get("name") for p in operation.get("parameters", [])}
            if DERIVED_API.search(path) or "search" in names:
                found.add((method.upper(), path))
    return found


def test_every_api_operation_deriving_data_has_a_row_and_its_producers_fetch_it():
    operations = _derived_operations()
    assert sorted(operations - set(API_ROWS)) == [], "API operations deriving data without a row"
    assert sorted(set(API_ROWS) - schema_operations()) == [], "rows for operations that are gone"
    for (_method, path), kinds in API_ROWS.items():
        fetched_by = [k for k in kinds if path in PRODUCERS[k].routes]
        assert fetched_by == list(kinds), f"{path}: not fetched by {set(kinds) - set(fetched_by)}"
