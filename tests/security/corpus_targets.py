"""What the bad-input corpus is sent to (tests/security/test_bad_input_corpus.py).

FORMS names every page that takes a POST, PAGES every page read with GET, API_WRITES
every write of the API schema: who sends it, a valid body (against the corpus world,
tests/support/worlds/corpus.py), and which fields get the corpus case.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from drf_spectacular.generators import SchemaGenerator

from dialogue.enums import ActionStatus, ConcernStatus, Marking
from dialogue.models import ApiToken, Concern, Forum, NoticeRead, SavedFilter, ThreatCategory
from dialogue.services.plans import plan_revision_start
from tests import factories as f
from tests.support.auth import PASSWORD
from tests.support.worlds.corpus import World

NEW_PASSWORD = "Kakitsubata-2026-Ayame"


# -- the forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """A page that takes a POST: who sends it, a valid body, and which fields get the case.

    `text` are the free-text fields, `coded` the fields that hold a code, a number, a
    choice or an address (a tuple fills several fields together, e.g. a password and its
    repetition); `files` are file fields whose file *name* gets the case. `prepare` runs
    in the request's savepoint before it (e.g. to open a reset link) and returns values
    for `url`. `shows` names more pages that show what was saved; `exports` the list
    exports that list it.
    """

    role: str | None
    url: Callable[[World, dict], str]
    valid: Callable[[World], dict]
    text: tuple = ()
    coded: tuple = ()
    files: tuple = ()
    prepare: Callable[[World, Client], dict] | None = None
    shows: Callable[[World], list[tuple[str | None, str]]] = lambda w: []
    exports: tuple = ()
    # A valid file for forms that need one (the case goes into other files' names).
    valid_files: Callable[[World], dict] | None = None


def dependency_body(w: World) -> dict:
    return {
        "product": "フォトレジスト原料",
        "hs_code": "2914.39",
        "sector": w.semi.pk,
        "stage": "upstream",
        "country": "CN",
        "share_pct": "55.5",
        "basis": "japan_imports",
        "year": "2023",
        "source": "財務省貿易統計",
        "source_passage": "原料の大半を特定国から調達",
        "precision": "statistics",
        "marking": Marking.GREEN,
    }


def own_token(w: World, role: str) -> int:
    """The id of the role's own API token (the one its API requests are signed with)."""
    return ApiToken.objects.filter(user=w.users[role]).values_list("pk", flat=True).first()


def named(name: str, **kwargs) -> Callable[[World, dict], str]:
    return lambda w, ctx: reverse(name, kwargs={k: v(w) for k, v in kwargs.items()})


def in_a_week() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def open_reset_link(w: World, client: Client) -> dict:
    user = w.users["company"]
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(reverse("portal:password-reset-confirm", args=[uidb64, token]))
    return {"url": response["Location"]}


def open_invitation_link(w: World, client: Client) -> dict:
    client.get(reverse("portal:invitation-link", args=[w.invitation_token]))
    return {}


def start_draft(w: World, client: Client) -> dict:
    return {"draft": plan_revision_start(actor=w.users["secretariat"], notes="次の版").pk}


def new_draft_notice(w: World, client: Client) -> dict:
    notice = f.NoticeFactory(
        sectors=[w.semi], author=w.users["official"], status="draft", published_at=None
    )
    return {"notice": notice.pk}


def new_saved_filter(w: World, client: Client) -> dict:
    saved = SavedFilter.objects.create(
        user=w.users["official"], list_name="workspace:threat-list", name="掃引", query="q=x"
    )
    return {"saved": saved.pk}


def draft_url(name: str) -> Callable[[World, dict], str]:
    return lambda w, ctx: reverse(name, args=[ctx["draft"]])


def formset(prefix: str, **row) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    data.update({f"{prefix}-0-{name}": value for name, value in row.items()})
    return data


def session_body(w: World, *, version: int | None = None) -> dict:
    data = {
        "title": "第5回 半導体分野対話",
        "sectors": [str(w.semi.pk)],
        "held_on": "2030-01-15",
        "format": "company_hearing",
        "marking": Marking.GREEN,
        "minutes": "# 議事\n- 輸出規制",
        "participating_organizations": [str(w.org.pk)],
        **formset("participants", name="経済 一郎", affiliation="経済産業省"),
        **formset("agenda", topic="chokepoints", note="レジスト"),
        **formset("threats", title="新たな脅威", code="1-2", likelihood="3", impact="3"),
        **formset(
            "actions",
            title="新たなアクション",
            owner=str(w.users["official"].pk),
            due_on=in_a_week(),
            pillar="protection",
        ),
    }
    if version is not None:
        data["version"] = str(version)
    return data


def threat_body(w: World) -> dict:
    return {
        "title": "退職技術者を通じた流出",
        "description": "説明",
        "sector": str(w.semi.pk),
        "category": "1-2",
        "likelihood": "3",
        "impact": "4",
        "marking": Marking.GREEN,
    }


def chokepoint_body(w: World) -> dict:
    return {
        "name": "高純度フッ化水素",
        "description": "説明",
        "sector": str(w.semi.pk),
        "stage": "upstream",
        "holders": "国内2社",
        "world_share_pct": "70",
        "outflow_concern": "high",
        "like_minded_holders": "some",
        "process_stage": "maintenance",
        "marking": Marking.GREEN,
    }


def notice_body(w: World) -> dict:
    return {
        "kind": "measure_alert",
        "title_ja": "黒鉛の輸出管理に関する周知",
        "title_en": "Notice on the graphite export control",
        "body_ja": "## 概要\n輸出管理の対象となりました。",
        "body_en": "## Summary\nNow under export control.",
        "audience": "companies",
        "sectors": [str(w.semi.pk)],
        "size_classes": ["large", "sme"],
        "marking": Marking.GREEN,
        "publish_on": in_a_week(),
    }


NOTICE_TEXT = ("title_ja", "title_en", "body_ja", "body_en")
NOTICE_CODED = ("kind", "audience", "sectors", "size_classes", "marking", "publish_on")


def notice_version(w: World, notice) -> int:
    return type(notice).objects.values_list("version", flat=True).get(pk=notice.pk)


def concern_detail_pages(w: World) -> list:
    return [
        ("company", reverse("portal:concern-detail", args=[w.concern.reference])),
        ("official", reverse("workspace:concern-detail", args=[w.concern.pk])),
    ]


def catalogue_body(w: World) -> dict:
    return {
        "abbreviation": "KPS",
        "name_ja": "コーパス支援機構",
        "name_en": "Corpus Support Agency",
        "description_ja": "経済的威圧を受けた企業の相談",
        "description_en": "Consultation for companies under coercion",
        "threat_categories": [str(ThreatCategory.objects.get(code="3-1").pk)],
        "sectors": [str(w.semi.pk)],
        "company_sizes": ["sme"],
        "support_kinds": ["finance"],
        "contact": "https://example.jp/",
        "is_active": "on",
    }


FORMS: dict[str, Form] = {
    # --- workspace ---------------------------------------------------------------------
    "workspace:login": Form(
        None,
        named("workspace:login"),
        lambda w: {"username": "corpus-official", "password": PASSWORD},
        text=("username", "password"),
    ),
    "workspace:logout": Form("official", named("workspace:logout"), lambda w: {}),
    "workspace:password-change": Form(
        "official",
        named("workspace:password-change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        text=("old_password", ("new_password1", "new_password2")),
    ),
    "workspace:token-revoke": Form(
        "official",
        named("workspace:token-revoke", pk=lambda w: own_token(w, "official")),
        lambda w: {"confirmed": "yes"},
    ),
    "workspace:threat-create": Form(
        "secretariat",
        named("workspace:threat-create"),
        # The world's threats are alike: the near-duplicate check is answered "different".
        lambda w: {**threat_body(w), "not_a_duplicate": "on"},
        text=("title", "description"),
        coded=("category",),
        shows=lambda w: [("secretariat", reverse("workspace:threat-list"))],
        exports=("threats",),
    ),
    "workspace:threat-edit": Form(
        "secretariat",
        named("workspace:threat-edit", pk=lambda w: w.threat.pk),
        lambda w: {**threat_body(w), "version": str(w.threat.version)},
        text=("title", "description"),
        coded=("version",),
        exports=("threats",),
    ),
    "workspace:threat-status": Form(
        "secretariat",
        named("workspace:threat-status", pk=lambda w: w.threat.pk),
        lambda w: {"status": "monitoring", "version": str(w.threat.version)},
        coded=("status", "version"),
    ),
    "workspace:chokepoint-create": Form(
        "secretariat",
        named("workspace:chokepoint-create"),
        chokepoint_body,
        text=("name", "description", "holders"),
        coded=("world_share_pct",),
        shows=lambda w: [("secretariat", reverse("workspace:chokepoint-list"))],
        exports=("chokepoints",),
    ),
    "workspace:chokepoint-edit": Form(
        "secretariat",
        named("workspace:chokepoint-edit", pk=lambda w: w.chokepoint.pk),
        lambda w: {**chokepoint_body(w), "version": str(w.chokepoint.version)},
        text=("name", "description", "holders"),
        exports=("chokepoints",),
    ),
    "workspace:dependency-create": Form(
        "secretariat",
        named("workspace:dependency-create"),
        dependency_body,
        text=("product", "source", "source_passage"),
        coded=("hs_code", "country", "share_pct", "year"),
        shows=lambda w: [("secretariat", reverse("workspace:dependency-list"))],
    ),
    "workspace:dependency-edit": Form(
        "secretariat",
        named("workspace:dependency-edit", pk=lambda w: w.dependency.pk),
        lambda w: {**dependency_body(w), "version": str(w.dependency.version)},
        text=("product", "source", "source_passage"),
    ),
    # The file is refused by its content (a PDF is no table): the case goes into its name.
    "workspace:dependency-import": Form(
        "secretariat",
        named("workspace:dependency-import"),
        lambda w: {"marking": "AMBER"},
        coded=("marking",),
        files=("file",),
        valid_files=lambda w: {
            "file": (
                "shares.csv",
                "sector,product,stage,country,year,share_pct,source\n"
                "semiconductors,後工程,downstream,TW,2023,50,推計\n".encode(),
            )
        },
    ),
    "workspace:tracker-import": Form(
        "secretariat",
        named("workspace:tracker-import", kind=lambda w: "threats"),
        lambda w: {"marking": "AMBER"},
        coded=("marking",),
        files=("file",),
        valid_files=lambda w: {
            "file": (
                "threats.csv",
                "sector,title,threat_code,likelihood,impact\n"
                "semiconductors,取り込んだ脅威,1-2,3,4\n".encode(),
            )
        },
    ),
    "workspace:session-create": Form(
        "secretariat",
        named("workspace:session-create"),
        session_body,
        text=(
            "title",
            "minutes",
            "participants-0-name",
            "participants-0-affiliation",
            "agenda-0-note",
            "threats-0-title",
            "actions-0-title",
        ),
        coded=("threats-0-code",),
        exports=("threats", "actions"),
    ),
    "workspace:session-edit": Form(
        "secretariat",
        named("workspace:session-edit", pk=lambda w: w.session.pk),
        lambda w: session_body(w, version=w.session.version),
        text=("title", "minutes", "participants-0-name", "agenda-0-note"),
    ),
    "workspace:session-status": Form(
        "secretariat",
        named("workspace:session-status", pk=lambda w: w.session.pk),
        lambda w: {"status": "held", "version": str(w.session.version)},
        coded=("status", "version"),
    ),
    "workspace:action-create": Form(
        "secretariat",
        named("workspace:action-create"),
        lambda w: {
            "title": "取引先への周知",
            "description": "説明",
            "sector": str(w.semi.pk),
            "owner": str(w.users["official"].pk),
            "due_on": in_a_week(),
            "pillar": "protection",
            "priority": "medium",
            "marking": Marking.GREEN,
        },
        text=("title", "description"),
        coded=("due_on",),
        shows=lambda w: [("secretariat", reverse("workspace:action-list"))],
        exports=("actions",),
    ),
    "workspace:action-edit": Form(
        "secretariat",
        named("workspace:action-edit", pk=lambda w: w.official_action.pk),
        lambda w: {
            "title": "取引先への周知（改）",
            "description": "説明",
            "sector": str(w.official_action.sector_id),
            "owner": str(w.official_action.owner_id),
            "due_on": in_a_week(),
            "pillar": "protection",
            "priority": "medium",
            "marking": w.official_action.marking,
            "version": str(w.official_action.version),
        },
        text=("title", "description"),
        coded=("due_on", "version"),
        exports=("actions",),
    ),
    "workspace:action-bulk-status": Form(
        "secretariat",
        named("workspace:action-bulk-status"),
        lambda w: {
            "selected": [str(w.official_action.pk)],
            "status": ActionStatus.DONE,
            "completion_note": "完了しました",
            "next": reverse("workspace:action-list") + "?status=open",
        },
        text=("completion_note",),
        coded=("next", "status"),
        shows=lambda w: [
            ("secretariat", reverse("workspace:action-detail", args=[w.official_action.pk]))
        ],
        exports=("actions",),
    ),
    "workspace:action-status": Form(
        "secretariat",
        named("workspace:action-status", pk=lambda w: w.official_action.pk),
        lambda w: {
            "status": ActionStatus.DONE,
            "completion_note": "完了しました",
            "version": str(w.official_action.version),
        },
        text=("completion_note",),
        coded=("status",),
        exports=("actions",),
    ),
    "workspace:concern-assign": Form(
        "official",
        named("workspace:concern-assign", pk=lambda w: w.concern.pk),
        lambda w: {"assigned_to": str(w.users["official"].pk), "version": str(w.concern.version)},
        coded=("assigned_to", "version"),
    ),
    "workspace:concern-message": Form(
        "official",
        named("workspace:concern-message", pk=lambda w: w.concern.pk),
        lambda w: {"body": "回答します。", "visibility": "reply"},
        text=("body",),
        coded=("visibility",),
        shows=concern_detail_pages,
    ),
    "workspace:concern-status": Form(
        "official",
        named("workspace:concern-status", pk=lambda w: w.concern.pk),
        lambda w: {"status": ConcernStatus.IN_PROGRESS, "version": str(w.concern.version)},
        coded=("status", "version"),
    ),
    "workspace:concern-link-threat": Form(
        "official",
        named("workspace:concern-link-threat", pk=lambda w: w.concern.pk),
        lambda w: {"threat": str(w.threat.pk)},
        coded=("threat",),
    ),
    "workspace:concern-measures": Form(
        "official",
        named("workspace:concern-measures", pk=lambda w: w.concern.pk),
        lambda w: {"foreign_measures": [str(w.foreign_measure.pk)]},
        coded=("foreign_measures",),
    ),
    "workspace:concern-refer": Form(
        "official",
        named("workspace:concern-refer", pk=lambda w: w.concern.pk),
        lambda w: {"schemes": [str(w.support_scheme.pk)], "note": "貿易保険をご検討ください。"},
        text=("note",),
        coded=("schemes", "organizations"),
        shows=concern_detail_pages,
    ),
    "workspace:referral-status": Form(
        "official",
        named("workspace:referral-status", pk=lambda w: w.concern.pk, number=lambda w: 1),
        lambda w: {"r1-status": "declined", "r1-note": "見送り", "r1-version": "1"},
        text=("r1-note",),
        coded=("r1-status", "r1-version"),
        shows=concern_detail_pages,
    ),
    "workspace:support-organization-create": Form(
        "secretariat",
        named("workspace:support-organization-create"),
        lambda w: catalogue_body(w),
        text=("name_ja", "name_en", "description_ja", "contact", "abbreviation"),
        coded=("company_sizes", "threat_categories", "sectors"),
        shows=lambda w: [("official", reverse("workspace:support-catalogue"))],
    ),
    "workspace:support-organization-edit": Form(
        "secretariat",
        named("workspace:support-organization-edit", pk=lambda w: w.support_organization.pk),
        lambda w: {**catalogue_body(w), "version": str(w.support_organization.version)},
        text=("name_ja", "description_en"),
        coded=("version", "company_sizes"),
        shows=lambda w: [("company", reverse("portal:support-finder"))],
    ),
    "workspace:support-scheme-create": Form(
        "secretariat",
        named("workspace:support-scheme-create"),
        lambda w: {**catalogue_body(w), "organization": str(w.support_organization.pk)},
        text=("name_ja", "name_en", "description_ja"),
        coded=("organization", "support_kinds", "company_sizes"),
        shows=lambda w: [("official", reverse("workspace:support-catalogue"))],
    ),
    "workspace:support-scheme-edit": Form(
        "secretariat",
        named("workspace:support-scheme-edit", pk=lambda w: w.support_scheme.pk),
        lambda w: {
            **catalogue_body(w),
            "organization": str(w.support_organization.pk),
            "version": str(w.support_scheme.version),
        },
        text=("name_en", "contact"),
        coded=("version", "support_kinds"),
        shows=lambda w: [("company", reverse("portal:support-finder"))],
    ),
    "workspace:digest-preferences": Form(
        "official",
        named("workspace:digest-preferences"),
        lambda w: {"digest_frequency": "weekly", "digest_sectors": [str(w.semi.pk)]},
        coded=("digest_frequency", "digest_sectors"),
    ),
    "workspace:notice-create": Form(
        "secretariat",
        named("workspace:notice-create"),
        notice_body,
        text=NOTICE_TEXT,
        coded=NOTICE_CODED,
        shows=lambda w: [("secretariat", reverse("workspace:notice-list"))],
    ),
    "workspace:notice-edit": Form(
        "secretariat",
        named("workspace:notice-edit", pk=lambda w: w.notice_draft.pk),
        lambda w: {**notice_body(w), "version": str(notice_version(w, w.notice_draft))},
        text=NOTICE_TEXT,
        coded=(*NOTICE_CODED, "version"),
        shows=lambda w: [
            ("secretariat", reverse("workspace:notice-detail", args=[w.notice_draft.pk]))
        ],
    ),
    "workspace:notice-publish": Form(
        "secretariat",
        named("workspace:notice-publish", pk=lambda w: w.notice_draft.pk),
        lambda w: {"version": str(notice_version(w, w.notice_draft))},
        coded=("version",),
    ),
    "workspace:notice-withdraw": Form(
        "secretariat",
        named("workspace:notice-withdraw", pk=lambda w: w.notice.pk),
        lambda w: {"version": str(notice_version(w, w.notice)), "confirmed": "yes"},
        coded=("version",),
    ),
    # --- saved filters ---------------------------------------------------------------------
    "workspace:saved-filter-create": Form(
        "official",
        named("workspace:saved-filter-create"),
        lambda w: {
            "list_name": "workspace:threat-list",
            "name": "半導体の重大な脅威",
            "query": "sector=semiconductors",
        },
        text=("name", "query"),
        coded=("list_name",),
    ),
    "workspace:saved-filter-delete": Form(
        "official",
        lambda w, ctx: reverse("workspace:saved-filter-delete", args=[ctx["saved"]]),
        lambda w: {},
        prepare=new_saved_filter,
    ),
    # --- plans -----------------------------------------------------------------------------
    "plans:plan-start": Form(
        "secretariat",
        named("plans:plan-start"),
        lambda w: {"notes": "第2版: 新たな脅威を反映"},
        text=("notes",),
        shows=lambda w: [("secretariat", reverse("plans:plan-list"))],
    ),
    "plans:plan-refresh": Form(
        "secretariat", draft_url("plans:plan-refresh"), lambda w: {}, prepare=start_draft
    ),
    "plans:plan-publish": Form(
        "secretariat", draft_url("plans:plan-publish"), lambda w: {}, prepare=start_draft
    ),
    "plans:plan-delete": Form(
        "secretariat", draft_url("plans:plan-delete"), lambda w: {}, prepare=start_draft
    ),
    # --- portal ----------------------------------------------------------------------------
    "portal:login": Form(
        None,
        named("portal:login"),
        lambda w: {"username": "corpus-company", "password": PASSWORD},
        text=("username", "password"),
    ),
    "portal:logout": Form("company", named("portal:logout"), lambda w: {}),
    "portal:account": Form(
        "company",
        named("portal:account"),
        lambda w: {"language": "en", "notice_frequency": "daily"},
        coded=("language", "notice_frequency"),
    ),
    "portal:password-change": Form(
        "company",
        named("portal:password-change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        text=("old_password", ("new_password1", "new_password2")),
    ),
    "portal:password-reset": Form(
        None,
        named("portal:password-reset"),
        lambda w: {"email": w.users["company"].email},
        coded=("email",),
    ),
    "portal:password-reset-confirm": Form(
        None,
        lambda w, ctx: ctx["url"],
        lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        text=(("new_password1", "new_password2"),),
        prepare=open_reset_link,
    ),
    "portal:invitation-accept": Form(
        None,
        named("portal:invitation-accept"),
        lambda w: {
            "last_name": "新田",
            "first_name": "一郎",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        text=("last_name", "first_name", ("new_password1", "new_password2")),
        prepare=open_invitation_link,
    ),
    "portal:concern-create": Form(
        "company",
        named("portal:concern-create"),
        lambda w: {
            "sector": str(w.semi.pk),
            "category": str(ThreatCategory.objects.get(code="2-2").pk),
            "title": "ガリウム調達の懸念",
            "description": "主要取引先から確認を求められています。",
            "desired_support": "information",
            "marking": Marking.AMBER_STRICT,
            "submission_key": str(uuid.uuid4()),
        },
        text=("title", "description"),
        files=("attachments",),
        shows=lambda w: [("official", reverse("workspace:concern-list") + "?status=submitted")],
    ),
    "portal:concern-reply": Form(
        "company",
        named("portal:concern-reply", reference=lambda w: w.concern.reference),
        lambda w: {"body": "追加の資料を送ります。", "submission_key": str(uuid.uuid4())},
        text=("body",),
        files=("attachments",),
        shows=concern_detail_pages,
    ),
    "portal:concern-withdraw": Form(
        "company",
        named("portal:concern-withdraw", reference=lambda w: w.concern.reference),
        lambda w: {"version": str(w.concern.version)},
        coded=("version",),
    ),
    "portal:referral-answer": Form(
        "company",
        named(
            "portal:referral-answer", reference=lambda w: w.concern.reference, number=lambda w: 1
        ),
        lambda w: {"answer": "consent", "version": "1"},
        coded=("answer", "version"),
    ),
    "portal:action-status": Form(
        "company",
        named("portal:action-status", pk=lambda w: w.company_action.pk),
        lambda w: {
            "status": ActionStatus.DONE,
            "note": "対応を完了しました。",
            "version": str(w.company_action.version),
        },
        text=("note",),
        coded=("status",),
        shows=lambda w: [
            ("secretariat", reverse("workspace:action-detail", args=[w.company_action.pk]))
        ],
        exports=("actions",),
    ),
    "portal:colleague-invite": Form(
        "company",
        named("portal:colleague-invite"),
        lambda w: {"email": "colleague@corpus.example.jp", "language": "ja"},
        coded=("email", "language"),
    ),
    "portal:colleague-deactivate": Form(
        "company", named("portal:colleague-deactivate", pk=lambda w: w.colleague.pk), lambda w: {}
    ),
    "portal:invitation-revoke": Form(
        "company", named("portal:invitation-revoke", pk=lambda w: w.invitation.pk), lambda w: {}
    ),
    "portal:token-revoke": Form(
        "company",
        named("portal:token-revoke", pk=lambda w: own_token(w, "company")),
        lambda w: {"confirmed": "yes"},
    ),
    # --- the language switch (Django's set_language) ---------------------------------------
    "set_language": Form(
        None,
        named("set_language"),
        lambda w: {"language": "en", "next": "/portal/"},
        coded=("language", "next"),
    ),
    # --- the admin's sign-in (its other pages are Django's own forms, for staff) ------------
    "admin:login": Form(
        None,
        named("admin:login"),
        lambda w: {"username": "corpus-secretariat", "password": PASSWORD, "next": "/admin/"},
        text=("username", "password"),
    ),
}


# -- pages read with GET ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    role: str | None
    url: Callable[[World], str]
    fixed: dict = field(default_factory=dict)  # parameters that stay valid (e.g. format=csv)
    records: tuple = ()  # what opening the page records on purpose (a read receipt)


def at(name: str, **kwargs) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={k: v(w) for k, v in kwargs.items()})


# Every query parameter any page or list reads; each gets the case (see `query_for`).
PARAMS = (
    "q",
    "search",
    "sector",
    "category",
    "status",
    "marking",
    "severity_min",
    "stage",
    "process_stage",
    "survey",
    "review_before",
    "forum",
    "outflow_concern",
    "held_after",
    "held_before",
    "owner",
    "overdue",
    "due_after",
    "due_before",
    "pillar",
    "priority",
    "assigned",
    "scope",
    "sort",
    "page",
    "kind",
    "format",
    "max_marking",
    "token",
    "next",
    "concern",
    "threat",
    "session",
    "code",
    "country",
    "basis",
    "precision",
    "year",
    "min_share",
    "product",
    "hs_code",
)
# Free-text parameters: the only ones a 100,000-character case goes into (a URL with it in
# every parameter would be tens of megabytes; a server refuses far less).
FREE_TEXT = {"q", "search", "sector", "category"}

PAGES: dict[str, Page] = {
    "workspace:dashboard": Page("official", at("workspace:dashboard")),
    "workspace:login": Page(None, at("workspace:login")),
    "workspace:password-change": Page("official", at("workspace:password-change")),
    "workspace:sector-list": Page("official", at("workspace:sector-list")),
    "workspace:sector-detail": Page(
        "official", at("workspace:sector-detail", code=lambda w: "semiconductors")
    ),
    "workspace:forum-list": Page("official", at("workspace:forum-list")),
    "workspace:forum-detail": Page(
        "official", at("workspace:forum-detail", code=lambda w: "japan-us-economic-2plus2")
    ),
    "workspace:threat-list": Page("official", at("workspace:threat-list")),
    "workspace:threat-create": Page("official", at("workspace:threat-create")),
    "workspace:threat-detail": Page(
        "official", at("workspace:threat-detail", pk=lambda w: w.threat.pk)
    ),
    "workspace:threat-edit": Page(
        "official", at("workspace:threat-edit", pk=lambda w: w.threat.pk)
    ),
    "workspace:chokepoint-list": Page("official", at("workspace:chokepoint-list")),
    "workspace:chokepoint-create": Page("official", at("workspace:chokepoint-create")),
    "workspace:chokepoint-detail": Page(
        "official", at("workspace:chokepoint-detail", pk=lambda w: w.chokepoint.pk)
    ),
    "workspace:chokepoint-edit": Page(
        "official", at("workspace:chokepoint-edit", pk=lambda w: w.chokepoint.pk)
    ),
    "workspace:dependency-list": Page("official", at("workspace:dependency-list")),
    "workspace:dependency-create": Page("official", at("workspace:dependency-create")),
    "workspace:dependency-detail": Page(
        "official", at("workspace:dependency-detail", pk=lambda w: w.dependency.pk)
    ),
    "workspace:dependency-edit": Page(
        "official", at("workspace:dependency-edit", pk=lambda w: w.dependency.pk)
    ),
    "workspace:dependency-import": Page("official", at("workspace:dependency-import")),
    "workspace:tracker-import": Page(
        "official", at("workspace:tracker-import", kind=lambda w: "threats")
    ),
    "workspace:dependency-map": Page("official", at("workspace:dependency-map")),
    "workspace:dependency-map-svg": Page("official", at("workspace:dependency-map-svg")),
    "workspace:dependency-chart": Page(
        "official",
        at("workspace:dependency-chart"),
        fixed={"sector": "semiconductors", "product": "高純度フッ化物", "hs_code": "281111"},
    ),
    "workspace:dependency-chart-svg": Page(
        "official",
        at("workspace:dependency-chart-svg"),
        fixed={"sector": "semiconductors", "product": "高純度フッ化物", "hs_code": "281111"},
    ),
    "workspace:session-list": Page("official", at("workspace:session-list")),
    "workspace:session-create": Page("official", at("workspace:session-create")),
    "workspace:session-detail": Page(
        "official", at("workspace:session-detail", pk=lambda w: w.session.pk)
    ),
    "workspace:session-edit": Page(
        "official", at("workspace:session-edit", pk=lambda w: w.session.pk)
    ),
    "workspace:action-list": Page("official", at("workspace:action-list")),
    "workspace:action-create": Page("official", at("workspace:action-create")),
    "workspace:action-detail": Page(
        "official", at("workspace:action-detail", pk=lambda w: w.official_action.pk)
    ),
    "workspace:action-edit": Page(
        "official", at("workspace:action-edit", pk=lambda w: w.official_action.pk)
    ),
    "workspace:action-status": Page(
        "official", at("workspace:action-status", pk=lambda w: w.official_action.pk)
    ),
    "workspace:concern-list": Page("official", at("workspace:concern-list")),
    "workspace:concern-detail": Page(
        "official", at("workspace:concern-detail", pk=lambda w: w.concern.pk)
    ),
    "workspace:calendar": Page("official", at("workspace:calendar")),
    "workspace:calendar-feed": Page(None, at("workspace:calendar-feed")),
    "workspace:search": Page("official", at("workspace:search")),
    "workspace:digest-list": Page("official", at("workspace:digest-list")),
    "workspace:digest-preferences": Page("official", at("workspace:digest-preferences")),
    "workspace:digest-detail": Page(
        "official", at("workspace:digest-detail", pk=lambda w: w.digest.pk)
    ),
    "plans:plan-list": Page("secretariat", at("plans:plan-list")),
    "plans:plan-detail": Page("secretariat", at("plans:plan-detail", pk=lambda w: w.edition.pk)),
    "plans:plan-diff": Page("secretariat", at("plans:plan-diff", pk=lambda w: w.edition.pk)),
    "plans:plan-export": Page(
        "secretariat", at("plans:plan-export", pk=lambda w: w.edition.pk), {"format": "csv"}
    ),
    "plans:export-job-list": Page("secretariat", at("plans:export-job-list")),
    "plans:list-export": Page(
        "secretariat", at("plans:list-export", kind=lambda w: "threats"), {"format": "csv"}
    ),
    "plans:export-job": Page("secretariat", at("plans:export-job", pk=lambda w: w.export_job.pk)),
    "plans:export-job-download": Page(
        "secretariat", at("plans:export-job-download", pk=lambda w: w.export_job.pk)
    ),
    "portal:home": Page("company", at("portal:home")),
    "portal:login": Page(None, at("portal:login")),
    "portal:account": Page("company", at("portal:account")),
    "portal:password-change": Page("company", at("portal:password-change")),
    "portal:password-reset": Page(None, at("portal:password-reset")),
    "portal:password-reset-done": Page(None, at("portal:password-reset-done")),
    "portal:password-reset-confirm": Page(
        None,
        at(
            "portal:password-reset-confirm",
            uidb64=lambda w: urlsafe_base64_encode(force_bytes(w.users["company"].pk)),
            token=lambda w: "not-a-real-token",
        ),
    ),
    "portal:password-reset-complete": Page(None, at("portal:password-reset-complete")),
    "portal:invitation-accept": Page(None, at("portal:invitation-accept")),
    "portal:invitation-link": Page(
        None, at("portal:invitation-link", token=lambda w: w.invitation_token)
    ),
    "portal:concern-list": Page("company", at("portal:concern-list")),
    "portal:concern-create": Page("company", at("portal:concern-create")),
    "portal:concern-detail": Page(
        "company", at("portal:concern-detail", reference=lambda w: w.concern.reference)
    ),
    "portal:concern-withdraw": Page(
        "company", at("portal:concern-withdraw", reference=lambda w: w.concern.reference)
    ),
    "portal:attachment-download": Page(
        "company", at("portal:attachment-download", pk=lambda w: w.attachment.pk)
    ),
    "portal:action-list": Page("company", at("portal:action-list")),
    "portal:action-detail": Page(
        "company", at("portal:action-detail", pk=lambda w: w.company_action.pk)
    ),
    "portal:guidance": Page("company", at("portal:guidance")),
    "portal:notice-list": Page("company", at("portal:notice-list")),
    "portal:notice-detail": Page(
        "company", at("portal:notice-detail", pk=lambda w: w.notice.pk), records=(NoticeRead,)
    ),
    "portal:best-practice-list": Page("company", at("portal:best-practice-list")),
    "workspace:notice-list": Page("official", at("workspace:notice-list")),
    "workspace:notice-create": Page("official", at("workspace:notice-create")),
    "workspace:notice-detail": Page(
        "official", at("workspace:notice-detail", pk=lambda w: w.notice.pk)
    ),
    "workspace:notice-edit": Page(
        "official", at("workspace:notice-edit", pk=lambda w: w.notice_draft.pk)
    ),
    "workspace:notice-publish": Page(
        "official", at("workspace:notice-publish", pk=lambda w: w.notice_draft.pk)
    ),
    "workspace:notice-reach": Page(
        "official", at("workspace:notice-reach", pk=lambda w: w.notice.pk)
    ),
    "portal:support-finder": Page("company", at("portal:support-finder"), {"threat_code": "3-1"}),
    "workspace:support-catalogue": Page(
        "official", at("workspace:support-catalogue"), {"threat_code": "2-2", "q": "保険"}
    ),
    "workspace:support-organization-detail": Page(
        "official",
        at("workspace:support-organization-detail", pk=lambda w: w.support_organization.pk),
    ),
    "workspace:support-scheme-detail": Page(
        "official", at("workspace:support-scheme-detail", pk=lambda w: w.support_scheme.pk)
    ),
    "portal:colleague-list": Page("company", at("portal:colleague-list")),
}


# -- the API -----------------------------------------------------------------------------


@functools.cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def schema_operations(methods: set[str]) -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), path)
        for path, operations in schema()["paths"].items()
        for method in operations
        if method.upper() in methods
    )


def fill(path: str, w: World, ctx: dict, role: str | None = None) -> str:
    """The path with its ids; company users name concerns by their organization's number."""
    resource = path.removeprefix("/api/v1/").split("/")[0]
    concern_key = w.concern.reference if role == "company" else w.concern.pk
    targets = {
        "organizations": w.org.pk,
        "sessions": w.session.pk,
        "threats": w.threat.pk,
        "chokepoints": w.chokepoint.pk,
        "dependencies": w.dependency.pk,
        "concerns": concern_key,
        "actions": w.official_action.pk,
        "plan-revisions": ctx.get("draft", w.edition.pk),
        "export-jobs": w.export_job.pk,
        "sectors": w.semi.pk,
        "notices": ctx.get("notice", w.notice.pk),
        "forums": Forum.objects.get(code="japan-us-economic-2plus2").pk,
        "support-organizations": w.support_organization.pk,
        "support-schemes": w.support_scheme.pk,
    }

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "concern_pk":
            return str(concern_key)
        if name == "code":
            return "1-2"
        if name == "number":  # the concern's referral, by its number within the concern
            return str(w.referral.number)
        if name == "id" and "/attachments/" in path:
            return str(w.attachment.pk)
        if name == "id" and resource in targets:
            return str(targets[resource])
        raise AssertionError(f"no value for {{{name}}} in {path}: extend fill()")

    return re.sub(r"\{(\w+)\}", value, path)


@dataclass(frozen=True)
class ApiWrite:
    """An API write: who sends it, a valid body, and the (dotted) fields that get the case
    (`text` and `coded` as in Form).

    `shows` maps the 2xx body to the pages that show what was saved.
    """

    role: str | None
    valid: Callable[[World], dict]
    text: tuple = ()
    coded: tuple = ()
    upload: bool = False  # multipart with a file whose name gets the case
    # The valid file of an upload (default: a PDF named 追加資料.pdf).
    valid_files: Callable[[World], dict] | None = None
    prepare: Callable[[World, Client], dict] | None = None
    shows: Callable[[World, dict], list[tuple[str | None, str]]] = lambda w, body: []
    exports: tuple = ()


def page_of(role: str, name: str) -> Callable[[World, dict], list]:
    return lambda w, body: [(role, reverse(name, args=[body["id"]]))] if "id" in body else []


def new_concern_pages(w: World, body: dict) -> list:
    """A company's new concern answers with its reference number, not its id."""
    if "reference" not in body:
        return []
    concern = Concern.objects.get(
        organization_id=w.users["company"].organization_id, reference=body["reference"]
    )
    return [
        ("company", reverse("portal:concern-detail", args=[concern.reference])),
        ("official", reverse("workspace:concern-detail", args=[concern.pk])),
    ]


API_WRITES: dict[tuple[str, str], ApiWrite] = {
    ("POST", "/api/v1/auth/token/"): ApiWrite(
        None,
        lambda w: {"username": "corpus-official", "password": PASSWORD},
        text=("username", "password"),
    ),
    ("POST", "/api/v1/organizations/"): ApiWrite(
        "secretariat",
        lambda w: {
            "name": "新規株式会社",
            "name_en": "Shinki Co.",
            "corporate_number": f.valid_corporate_number(),
            "kind": "company",
            "sectors": [w.semi.pk],
        },
        text=("name", "name_en"),
        coded=("corporate_number",),
        shows=lambda w, body: [
            ("secretariat", reverse("workspace:sector-detail", args=["semiconductors"]))
        ],
    ),
    ("PATCH", "/api/v1/organizations/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"name": "株式会社コーパス改", "name_en": "Corpus Renamed"},
        text=("name", "name_en"),
        shows=lambda w, body: [
            ("secretariat", reverse("workspace:sector-detail", args=["semiconductors"])),
            ("company", reverse("portal:account")),
        ],
    ),
    ("POST", "/api/v1/sessions/"): ApiWrite(
        "secretariat",
        lambda w: {
            "title": "新規の対話",
            "sectors": [w.semi.pk],
            "held_on": "2030-01-15",
            "format": "company_hearing",
            "marking": Marking.GREEN,
            "minutes": "# 議事",
            "participants": [{"name": "経済 一郎", "affiliation": "経済産業省"}],
            "agenda": [{"topic": "chokepoints", "note": "レジスト"}],
        },
        text=("title", "minutes", "participants.0.name", "participants.0.affiliation"),
        shows=page_of("secretariat", "workspace:session-detail"),
    ),
    ("PATCH", "/api/v1/sessions/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"minutes": "議事録を追記", "agenda": [{"topic": "chokepoints", "note": "x"}]},
        text=("minutes", "agenda.0.note"),
        coded=("agenda.0.topic",),
        shows=page_of("secretariat", "workspace:session-detail"),
    ),
    ("POST", "/api/v1/threats/"): ApiWrite(
        "secretariat",
        lambda w: {
            "title": "新規の脅威",
            "description": "説明",
            "sector": w.semi.pk,
            "category": "1-2",
            "likelihood": 3,
            "impact": 3,
            "marking": Marking.GREEN,
        },
        text=("title", "description"),
        coded=("category",),
        shows=page_of("secretariat", "workspace:threat-detail"),
        exports=("threats",),
    ),
    ("PATCH", "/api/v1/threats/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"title": "脅威の題名を更新", "description": "説明を更新"},
        text=("title", "description"),
        shows=page_of("secretariat", "workspace:threat-detail"),
        exports=("threats",),
    ),
    ("POST", "/api/v1/chokepoints/"): ApiWrite(
        "secretariat",
        lambda w: {
            "name": "新規のチョークポイント",
            "description": "説明",
            "holders": "国内1社",
            "sector": w.semi.pk,
            "stage": "upstream",
            "marking": Marking.GREEN,
        },
        text=("name", "description", "holders"),
        shows=page_of("secretariat", "workspace:chokepoint-detail"),
        exports=("chokepoints",),
    ),
    ("PATCH", "/api/v1/chokepoints/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"description": "説明を更新", "holders": "国内2社"},
        text=("description", "holders"),
        shows=page_of("secretariat", "workspace:chokepoint-detail"),
        exports=("chokepoints",),
    ),
    ("POST", "/api/v1/dependencies/"): ApiWrite(
        "secretariat",
        lambda w: {**dependency_body(w), "year": 2023},
        text=("product", "source", "source_passage"),
        coded=("hs_code", "country", "share_pct", "year"),
        shows=page_of("secretariat", "workspace:dependency-detail"),
    ),
    ("PATCH", "/api/v1/dependencies/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"source": "出典を更新", "share_pct": "60.00"},
        text=("source",),
        coded=("share_pct",),
        shows=page_of("secretariat", "workspace:dependency-detail"),
    ),
    # A PDF is no table: refused by its content, whatever its name.
    ("POST", "/api/v1/dependencies/import/"): ApiWrite(
        "secretariat",
        lambda w: {"dry_run": "false"},
        coded=("marking", "dry_run"),
        upload=True,
        valid_files=lambda w: {
            "file": (
                "shares.csv",
                "sector,product,stage,country,year,share_pct,source\n"
                "semiconductors,後工程,downstream,TW,2023,50,推計\n".encode(),
            )
        },
    ),
    ("POST", "/api/v1/concerns/"): ApiWrite(
        "company",
        lambda w: {
            "sector": w.semi.pk,
            "category": "2-2",
            "title": "新規の懸念",
            "description": "内容",
            "desired_support": "information",
        },
        text=("title", "description"),
        coded=("category",),
        shows=lambda w, body: new_concern_pages(w, body),
    ),
    ("PATCH", "/api/v1/concerns/{id}/"): ApiWrite(
        "official",
        lambda w: {"status": "in_progress"},
        coded=("status",),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("POST", "/api/v1/concerns/{concern_pk}/messages/"): ApiWrite(
        "company",
        lambda w: {"body": "追加の質問です。"},
        text=("body",),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("POST", "/api/v1/concerns/{concern_pk}/attachments/"): ApiWrite(
        "company",
        lambda w: {},
        upload=True,
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("POST", "/api/v1/concerns/{concern_pk}/referrals/"): ApiWrite(
        "official",
        lambda w: {"support_schemes": [w.support_scheme.pk], "note": "貿易保険をご検討ください。"},
        text=("note",),
        coded=("support_schemes",),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("PATCH", "/api/v1/concerns/{concern_pk}/referrals/{number}/"): ApiWrite(
        "official",
        lambda w: {"status": "declined", "note": "見送り", "version": 1},
        text=("note",),
        coded=("status", "version"),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("POST", "/api/v1/concerns/{concern_pk}/referrals/{number}/answer/"): ApiWrite(
        "company",
        lambda w: {"consent": True, "version": 1},
        coded=("consent", "version"),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("PUT", "/api/v1/concerns/{concern_pk}/foreign-measures/"): ApiWrite(
        "official",
        lambda w: {"foreign_measures": [w.foreign_measure.pk]},
        coded=("foreign_measures",),
        shows=lambda w, body: concern_detail_pages(w),
    ),
    ("POST", "/api/v1/actions/"): ApiWrite(
        "secretariat",
        lambda w: {
            "title": "新規のアクション",
            "description": "説明",
            "sector": w.semi.pk,
            "owner": w.users["official"].pk,
            "due_on": in_a_week(),
            "pillar": "protection",
            "marking": Marking.GREEN,
        },
        text=("title", "description"),
        coded=("due_on",),
        shows=page_of("secretariat", "workspace:action-detail"),
        exports=("actions",),
    ),
    ("PATCH", "/api/v1/actions/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"status": "done", "completion_note": "完了しました", "title": "題名を更新"},
        text=("completion_note", "title"),
        coded=("status",),
        shows=page_of("secretariat", "workspace:action-detail"),
        exports=("actions",),
    ),
    ("POST", "/api/v1/plan-revisions/"): ApiWrite(
        "secretariat",
        lambda w: {"notes": "第2版"},
        text=("notes",),
        shows=lambda w, body: [
            ("secretariat", reverse("plans:plan-list")),
            *page_of("secretariat", "plans:plan-detail")(w, body),
        ],
    ),
    ("POST", "/api/v1/plan-revisions/{id}/publish/"): ApiWrite(
        "secretariat", lambda w: {}, prepare=start_draft
    ),
    ("POST", "/api/v1/notices/"): ApiWrite(
        "secretariat",
        lambda w: {
            **notice_body(w),
            "sectors": ["semiconductors"],
            "threat_categories": ["2-2"],
        },
        text=NOTICE_TEXT,
        coded=("kind", "sectors.0", "size_classes.0", "threat_categories.0", "publish_on"),
        shows=page_of("secretariat", "workspace:notice-detail"),
    ),
    ("PATCH", "/api/v1/notices/{id}/"): ApiWrite(
        "secretariat",
        lambda w: {"title_ja": "周知の件名を更新", "body_en": "Corrected text"},
        text=("title_ja", "body_en"),
        shows=page_of("secretariat", "workspace:notice-detail"),
    ),
    ("POST", "/api/v1/notices/{id}/publish/"): ApiWrite(
        "secretariat", lambda w: {"version": 1}, coded=("version",), prepare=new_draft_notice
    ),
    ("POST", "/api/v1/notices/{id}/withdraw/"): ApiWrite(
        "secretariat",
        lambda w: {"version": notice_version(w, w.notice)},
        coded=("version",),
    ),
    ("POST", "/api/v1/notices/{id}/read/"): ApiWrite("company", lambda w: {}),
}
