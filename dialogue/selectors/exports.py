"""What exports contain: the plan-revision summary and the register and tracker lists.

- `plan_revision_summary` (plan_summary.py) is the one selector the XLSX, the
  zipped CSV and the PDF of a plan revision are all written from.
- `list_export` gives the rows of a list exactly as its page or API list shows
  them: it starts from `Model.objects.visible_to(user)`, applies the list's own
  FilterSet and ordering, then the optional maximum marking. The rows are one
  `values_list` query, so the same query can be streamed by Python (any
  database) or by PostgreSQL's COPY (`copy_csv_chunks`); text columns are
  neutralized in SQL with the rule of exports/neutralize.py, so both give the
  same cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Left, NullIf, TruncDate
from django.db.models.lookups import In
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.enums import (
    ActionStatus,
    ConcernLevel,
    Marking,
    PolicyPillar,
    Priority,
    SeverityLevel,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.exports.document import ExportDocument, Sheet
from dialogue.exports.neutralize import PREFIX, TRIGGERS
from dialogue.models import ChokepointTechnology, FollowUpAction, Threat, User
from dialogue.selectors.plan_summary import (
    allowed_markings,
    local_datetime,
    marking_label,
    plan_revision_item_count,
    plan_revision_summary,
)

__all__ = [
    "LIST_EXPORTS",
    "ListExport",
    "copy_csv_chunks",
    "list_export",
    "parse_max_marking",
    "plan_revision_item_count",
    "plan_revision_summary",
]


def parse_max_marking(value: str | None) -> str | None:
    """ "" or None: no cap; otherwise a TLP marking (case-insensitive, "TLP:" optional)."""
    if not value:
        return None
    cleaned = value.strip().upper().removeprefix("TLP:")
    if cleaned not in Marking.values:
        raise ValidationError(
            {
                "max_marking": _("Choose one of %(choices)s.")
                % {"choices": ", ".join(Marking.values)}
            },
            code="invalid_choice",
        )
    return cleaned


# --- SQL building blocks ----------------------------------------------------------------


def neutralized(expression) -> Case:
    """SQL twin of exports.neutralize.neutralize, plus "" → NULL (COPY then writes an empty
    cell unquoted, as Python's csv module does)."""
    return Case(
        When(In(Left(expression, 1), list(TRIGGERS)), then=Concat(Value(PREFIX), expression)),
        default=NullIf(expression, Value("")),
        output_field=TextField(),
    )


def labelled(field: str, choices) -> Case:
    """A choice column shown by its label in the active language."""
    return Case(
        *(When(**{field: value}, then=Value(str(label))) for value, label in choices.choices),
        default=F(field),
        output_field=CharField(),
    )


def marking_column() -> Case:
    return Case(
        *(When(marking=value, then=Value(label)) for value, label in Marking.choices),
        default=F("marking"),
        output_field=CharField(),
    )


def localized_name(prefix: str):
    """`<prefix>name_en` in English (falling back to Japanese), `<prefix>name_ja` otherwise."""
    if (translation.get_language() or "ja")[:2] == "en":
        return Coalesce(NullIf(F(f"{prefix}name_en"), Value("")), F(f"{prefix}name_ja"))
    return F(f"{prefix}name_ja")


def local_date(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def severity_band():
    return Case(
        When(severity__gte=15, then=Value(str(SeverityLevel.CRITICAL.label))),
        When(severity__gte=10, then=Value(str(SeverityLevel.HIGH.label))),
        When(severity__gte=5, then=Value(str(SeverityLevel.MEDIUM.label))),
        default=Value(str(SeverityLevel.LOW.label)),
        output_field=CharField(),
    )


def visible_id(field: str, model, user: User) -> Case:
    """The related id only when the reader may see that record (as the API list shows it)."""
    return Case(
        When(Exists(model.objects.visible_to(user).filter(pk=OuterRef(field))), then=F(field)),
        default=None,
    )


# --- list exports -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    title: object  # a lazy translation
    value: Callable[[User], object]  # a field name or an expression, built for the reader
    text: bool = False  # free text: neutralized in SQL
    width: int = 14


@dataclass(frozen=True)
class ListSpec:
    kind: str
    title: object
    model: type
    columns: tuple[Column, ...]

    def select(self, queryset: QuerySet, user: User) -> QuerySet:
        annotations = {}
        for column in self.columns:
            value = column.value(user)
            expression = F(value) if isinstance(value, str) else value
            annotations[f"x_{column.key}"] = neutralized(expression) if column.text else expression
        return queryset.annotate(**annotations).values_list(*annotations)


def _field(name: str) -> Callable[[User], str]:
    return lambda user: name


THREAT_COLUMNS = (
    Column("id", gettext_lazy("ID"), _field("pk"), width=8),
    Column("title", gettext_lazy("Title"), _field("title"), text=True, width=40),
    Column("sector", gettext_lazy("Sector code"), _field("sector__code"), width=18),
    Column("sector_name", gettext_lazy("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column("code", gettext_lazy("Threat code"), _field("category__code"), width=8),
    Column("code_name", gettext_lazy("Threat"), lambda u: localized_name("category__"), True, 24),
    Column("likelihood", gettext_lazy("Likelihood"), _field("likelihood"), width=8),
    Column("impact", gettext_lazy("Impact"), _field("impact"), width=8),
    Column("severity", gettext_lazy("Severity"), _field("severity"), width=8),
    Column("band", gettext_lazy("Severity band"), lambda u: severity_band(), width=10),
    Column("status", gettext_lazy("Status"), lambda u: labelled("status", ThreatStatus), width=12),
    Column("marking", gettext_lazy("Marking"), lambda u: marking_column(), width=16),
    Column("created", gettext_lazy("Created"), lambda u: local_date("created_at"), width=12),
    Column("updated", gettext_lazy("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", gettext_lazy("Description"), _field("description"), True, 60),
)

ACTION_COLUMNS = (
    Column("id", gettext_lazy("ID"), _field("pk"), width=8),
    Column("title", gettext_lazy("Title"), _field("title"), text=True, width=40),
    Column("sector", gettext_lazy("Sector code"), _field("sector__code"), width=18),
    Column("sector_name", gettext_lazy("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column(
        "owner",
        gettext_lazy("Owner"),
        lambda user: Case(
            When(
                Exists(User.objects.visible_to(user).filter(pk=OuterRef("owner_id"))),
                then=F("owner__username"),
            ),
            default=None,
        ),
        text=True,
        width=16,
    ),
    Column("due_on", gettext_lazy("Due date"), _field("due_on"), width=12),
    Column("status", gettext_lazy("Status"), lambda u: labelled("status", ActionStatus), width=12),
    Column(
        "priority", gettext_lazy("Priority"), lambda u: labelled("priority", Priority), width=10
    ),
    Column("pillar", gettext_lazy("Policy pillar"), lambda u: labelled("pillar", PolicyPillar), 20),
    Column("marking", gettext_lazy("Marking"), lambda u: marking_column(), width=16),
    Column(
        "threat",
        gettext_lazy("Source threat"),
        lambda user: visible_id("threat_id", Threat, user),
        width=10,
    ),
    Column("updated", gettext_lazy("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", gettext_lazy("Description"), _field("description"), True, 60),
)

CHOKEPOINT_COLUMNS = (
    Column("id", gettext_lazy("ID"), _field("pk"), width=8),
    Column("name", gettext_lazy("Name"), _field("name"), text=True, width=36),
    Column("sector", gettext_lazy("Sector code"), _field("sector__code"), width=18),
    Column("sector_name", gettext_lazy("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column(
        "stage",
        gettext_lazy("Supply-chain stage"),
        lambda u: labelled("stage", SupplyChainStage),
        width=12,
    ),
    Column("world_share", gettext_lazy("World share (%)"), _field("world_share_pct"), width=10),
    Column(
        "outflow",
        gettext_lazy("Concern of outflow"),
        lambda u: labelled("outflow_concern", ConcernLevel),
        width=12,
    ),
    Column(
        "like_minded",
        gettext_lazy("Like-minded countries also holding it"),
        _field("like_minded_holders"),
        text=True,
        width=24,
    ),
    Column("marking", gettext_lazy("Marking"), lambda u: marking_column(), width=16),
    Column("updated", gettext_lazy("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", gettext_lazy("Description"), _field("description"), True, 60),
)

LIST_EXPORTS = {
    "threats": ListSpec("threats", gettext_lazy("Threat register"), Threat, THREAT_COLUMNS),
    "actions": ListSpec(
        "actions", gettext_lazy("Follow-up actions"), FollowUpAction, ACTION_COLUMNS
    ),
    "chokepoints": ListSpec(
        "chokepoints",
        gettext_lazy("Chokepoint register"),
        ChokepointTechnology,
        CHOKEPOINT_COLUMNS,
    ),
}


@dataclass
class ListExport:
    spec: ListSpec
    filtered: QuerySet  # model instances, filtered and ordered (for counts and markings)
    rows: QuerySet  # the same, as values_list tuples in column order

    @property
    def columns(self) -> list[str]:
        return [str(column.title) for column in self.spec.columns]

    @property
    def widths(self) -> list[int]:
        return [column.width for column in self.spec.columns]

    def count(self) -> int:
        return self.filtered.count()

    def marking(self) -> str:
        """The TLP label of the highest marking among the rows (CLEAR when there are none)."""
        present = self.filtered.order_by().values_list("marking", flat=True).distinct()
        return marking_label(Marking.highest(set(present)))

    def document(self, *, marking: str | None = None) -> ExportDocument:
        """A one-sheet document for the XLSX writer (rows streamed from the database)."""
        title = str(self.spec.title)
        sheet = Sheet(
            self.spec.kind,
            title,
            self.columns,
            lambda: self.rows.iterator(chunk_size=2000),
            self.widths,
            [column.key for column in self.spec.columns],
        )
        return ExportDocument(
            title=title,
            marking=marking or self.marking(),
            sheets=[sheet],
            generated_at=local_datetime(timezone.now()),
        )


def list_export(
    *,
    kind: str,
    user: User,
    data,
    filterset_class,
    ordering: list,
    max_marking: str | None = None,
    filterset_kwargs: dict | None = None,
    strict: bool = False,
) -> ListExport:
    """The rows of list `kind` as `user` sees it with the list's filters (`data`) and ordering.

    `strict`: invalid filter values raise ValidationError (the API answers 400, as its
    list does); otherwise they are ignored, as a workspace list page ignores them.
    """
    spec = LIST_EXPORTS[kind]
    visible = spec.model.objects.visible_to(user)
    filterset = filterset_class(data or None, queryset=visible, **(filterset_kwargs or {}))
    if strict and filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    filtered = filterset.qs
    allowed = allowed_markings(max_marking)
    if allowed is not None:
        filtered = filtered.filter(marking__in=allowed)
    filtered = filtered.order_by(*ordering, "-pk")
    return ListExport(spec=spec, filtered=filtered, rows=spec.select(filtered, user))


def copy_csv_chunks(queryset: QuerySet) -> Iterator[memoryview]:
    """Stream a values_list query as CSV through PostgreSQL's COPY (psycopg 3).

    Chunks are whatever the server sends (about a row each); the caller relays them
    in large chunks. Runs lazily, so a view can return before the query starts.
    """
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        yield from copy
