"""Reads on outreach notices: the workspace's lists and reach, the portal's notices and
best-practice library. Every one starts from `visible_to(user)` or `addressed_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from dialogue.enums import NoticeAudience, NoticeStatus, SizeClass
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    Concern,
    ForeignMeasure,
    Notice,
    NoticeRead,
    Organization,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.querysets import COMPANY_MARKINGS, sector_threat_code_ids, sectors_and_domains_of

# --- the workspace ------------------------------------------------------------------------


def notice_list(user: User, *, status: str = "") -> QuerySet[Notice]:
    queryset = (
        Notice.objects.visible_to(user)
        .select_related("author")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("sort_order")))
        .order_by("-publish_on", "-id")
    )
    if status in NoticeStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def notice_get(user: User, pk: int) -> Notice:
    return get_object_or_404(Notice.objects.visible_to(user).select_related("author"), pk=pk)


@dataclass(frozen=True)
class NoticeLinks:
    sectors: list[Sector]
    threat_categories: list[ThreatCategory]
    foreign_measures: list[ForeignMeasure]
    best_practices: list[BestPractice]
    chokepoints: list[ChokepointTechnology]


def notice_links(user: User, notice: Notice) -> NoticeLinks:
    """What the notice links to, as far as `user` may see it (hidden links are left out)."""
    return NoticeLinks(
        sectors=list(Sector.objects.visible_to(user).filter(notices=notice)),
        threat_categories=list(ThreatCategory.objects.visible_to(user).filter(notices=notice)),
        foreign_measures=list(
            ForeignMeasure.objects.visible_to(user)
            .filter(notices=notice)
            .order_by("-effective_on", "id")
        ),
        best_practices=list(BestPractice.objects.visible_to(user).filter(notices=notice)),
        chokepoints=list(
            ChokepointTechnology.objects.visible_to(user)
            .filter(notices=notice)
            .select_related("sector")
        ),
    )


def audience_organizations(notice: Notice) -> QuerySet[Organization]:
    """The organizations a published notice reaches: the same rule as
    `Notice.objects.addressed_to(user)`, seen from the organizations' side."""
    if notice.audience != NoticeAudience.COMPANIES or notice.marking not in COMPANY_MARKINGS:
        return Organization.objects.none()
    notice_sectors = Sector.objects.filter(notices=notice).values("pk")
    in_sectors = Organization.sectors.through.objects.filter(organization=OuterRef("pk")).filter(
        Q(sector__in=notice_sectors) | Q(sector__parent__in=notice_sectors)
    )
    organizations = Organization.objects.filter(
        Exists(in_sectors), size_class__in=notice.size_class_codes
    )
    notice_codes = ThreatCategory.objects.filter(notices=notice).values("pk")
    if not ThreatCategory.objects.filter(notices=notice).exists():
        return organizations
    codes = ThreatCategory.objects.filter(Q(pk__in=notice_codes) | Q(parent__in=notice_codes))
    in_own_sectors = Q(sector__organizations=OuterRef("pk")) | Q(
        sector__children__organizations=OuterRef("pk")
    )
    threats = Threat.objects.filter(
        in_own_sectors, category__in=codes.values("pk"), marking__in=COMPANY_MARKINGS
    )
    measures = ForeignMeasure.objects.filter(
        Q(sectors__organizations=OuterRef("pk"))
        | Q(sectors__children__organizations=OuterRef("pk")),
        threat_categories__in=codes.values("pk"),
        marking__in=COMPANY_MARKINGS,
    )
    return organizations.filter(Q(Exists(threats)) | Q(Exists(measures)))


@dataclass(frozen=True)
class ReachRow:
    size_class: str
    label: str
    organizations: int
    read: int


@dataclass(frozen=True)
class Reach:
    rows: list[ReachRow]
    organizations: list[Organization]  # each with `has_read`

    @property
    def total(self) -> int:
        return sum(row.organizations for row in self.rows)

    @property
    def read(self) -> int:
        return sum(row.read for row in self.rows)


def notice_reach(notice: Notice) -> Reach:
    """Organizations of the audience and how many have at least one user who read the
    notice, per size class: two queries, whatever the audience's size."""
    readers = NoticeRead.objects.filter(notice=notice, user__organization=OuterRef("pk"))
    audience = audience_organizations(notice).annotate(has_read=Exists(readers))
    counts = {
        row["size_class"]: row
        for row in audience.order_by()
        .values("size_class")
        .annotate(total=Count("pk"), read=Count("pk", filter=Q(has_read=True)))
    }
    rows = [
        ReachRow(
            size_class=code,
            label=str(label),
            organizations=counts.get(code, {}).get("total", 0),
            read=counts.get(code, {}).get("read", 0),
        )
        for code, label in SizeClass.choices
        if code in notice.size_class_codes or code in counts
    ]
    return Reach(rows=rows, organizations=list(audience.order_by("name", "pk")))


# --- the portal ---------------------------------------------------------------------------


def portal_notices(user: User) -> QuerySet[Notice]:
    """Notices addressed to the user's organization: unread first, then newest."""
    reads = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    return (
        Notice.objects.addressed_to(user)
        .annotate(is_read=Exists(reads), read_at=Subquery(reads.values("read_at")[:1]))
        .order_by("is_read", "-publish_on", "-id")
    )


def unread_notice_count(user: User) -> int:
    reads = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    return Notice.objects.addressed_to(user).filter(~Exists(reads)).count()


def portal_notice_get(user: User, pk: int) -> Notice:
    return get_object_or_404(Notice.objects.addressed_to(user), pk=pk)


# --- the best-practice library --------------------------------------------------------------


def relevant_code_ids(user: User) -> QuerySet[ThreatCategory]:
    """The threat codes relevant to the user's organization: those of its sectors'
    CLEAR/GREEN threats and foreign measures, and of its own concerns."""
    own = sectors_and_domains_of(user.organization_id)
    return ThreatCategory.objects.visible_to(user).filter(
        sector_threat_code_ids(own) | Q(pk__in=Concern.objects.visible_to(user).values("category"))
    )


def best_practice_library(
    user: User, *, everything: bool = False, code: str = ""
) -> QuerySet[BestPractice]:
    """Every best practice; by default those for the codes relevant to the organization's
    sectors (a family code such as "2" counts for 2-1 … 2-4, and the other way round).
    `code` keeps those linked to one code (or its family); `everything` drops the default."""
    practices = BestPractice.objects.visible_to(user).prefetch_related(
        Prefetch(
            "threat_categories", queryset=ThreatCategory.objects.order_by("sort_order", "code")
        )
    )
    through = BestPractice.threat_categories.through
    if code:
        chosen = ThreatCategory.objects.filter(Q(code=code) | Q(parent__code=code)).values("pk")
        practices = practices.filter(
            Exists(through.objects.filter(bestpractice=OuterRef("pk"), threatcategory__in=chosen))
        )
    elif not everything:
        relevant = relevant_code_ids(user).values("pk")
        linked = through.objects.filter(bestpractice=OuterRef("pk")).filter(
            Q(threatcategory__in=relevant)
            | Q(threatcategory__parent__in=relevant)
            | Q(threatcategory__children__in=relevant)
        )
        practices = practices.filter(Exists(linked))
    return practices.order_by("number")


def library_codes(user: User) -> QuerySet[ThreatCategory]:
    """The codes one may filter the library by: every code that has a best practice."""
    return (
        ThreatCategory.objects.visible_to(user)
        .filter(Q(best_practices__isnull=False) | Q(children__best_practices__isnull=False))
        .distinct()
        .order_by("sort_order", "code")
    )
