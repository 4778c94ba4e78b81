"""What a reader may learn from something *computed* from records.

`querysets.py` decides which records a user may read. Everything derived from
records — plan snapshots and diffs, aggregates, e-mails, calendar entries,
search results, export files — is produced for a stated audience, and goes
through this module for the three questions that visibility alone does not
answer:

- may this reader learn that a record exists (a reference: id, title, link)?
  `may_see`, `visible_pks`, `reference_or_hidden`;
- which of these people may be told about a record (e-mail recipients)?
  `audience_for` when queueing, `may_be_told` again when sending, and
  `owner_may_see_action_sql` for the set-based reminder sweep;
- may this count be shown (the k ≥ 3 rule for concern counts)?
  `concern_count` is the only function that turns a concern count into
  something shown; every page, API response, file and digest calls it.

Deny by default: a reference the reader may not see renders as `HIDDEN`, never
as an id; a count behind fewer than K_ANONYMITY organizations renders as
`FEWER_THAN_K`, which also stands for zero, so a cell never tells that a concern
exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from dialogue.enums import Role
from dialogue.querysets import visible_rows

if TYPE_CHECKING:
    from django.db.models import Field, ManyToManyField

    from dialogue.models import User

K_ANONYMITY = 3
FEWER_THAN_K = gettext_lazy("fewer than 3")
HIDDEN = gettext_lazy("(not shown)")


# --- counts ---------------------------------------------------------------------------


def count_is_shown(organizations: int | None) -> bool:
    return (organizations or 0) >= K_ANONYMITY


def concern_count(concerns: int | None, organizations: int | None) -> int | str:
    """The count when at least K_ANONYMITY organizations stand behind it, else "fewer than 3"."""
    return (concerns or 0) if count_is_shown(organizations) else str(FEWER_THAN_K)


def concern_count_or_none(concerns: int | None, organizations: int | None) -> int | None:
    """`concern_count` for machine-readable outputs (API, JSON): None means "fewer than 3"."""
    return (concerns or 0) if count_is_shown(organizations) else None


def count_shown_condition(organizations_field: str) -> Q:
    """The same rule in a query: rows of counts that may be shown (e.g. to list only those)."""
    return Q(**{f"{organizations_field}__gte": K_ANONYMITY})


# --- references -----------------------------------------------------------------------


def visible_pks(reader: User, model: type[models.Model], pks: Iterable) -> set:
    """The subset of `pks` whose records of `model` the reader may see now (one query)."""
    wanted = {pk for pk in pks if pk is not None}
    if not wanted:
        return set()
    return set(visible_rows(model, reader).filter(pk__in=wanted).values_list("pk", flat=True))


def may_see(reader: User, record: models.Model) -> bool:
    return bool(visible_pks(reader, type(record), [record.pk]))


def reference_or_hidden(reader: User, model: type[models.Model], pk, label) -> str:
    """`label` (an id, a title, a link text) when the reader may see the record, else HIDDEN."""
    if pk is None:
        return ""
    return str(label) if pk in visible_pks(reader, model, [pk]) else str(HIDDEN)


# --- audiences ------------------------------------------------------------------------


def audience_for(record: models.Model, candidates: Iterable[User]) -> list[User]:
    """The candidates who may see `record` now: the only people who may be told about it.

    One visibility query per candidate; audiences are the handful of people an
    e-mail goes to, never a list page.
    """
    model = type(record)
    return [user for user in candidates if visible_rows(model, user).filter(pk=record.pk).exists()]


# --- e-mail audiences in bulk ---------------------------------------------------------


def owner_may_see_action_sql(alias: str) -> tuple[str, dict]:
    """An SQL condition on the follow-up action row `alias`: its owner may see it.

    The set-based form of `FollowUpAction.objects.visible_to(owner)` for sweeps that write
    one row per action to its owner (100k actions, one statement): an owner sees every
    action they own except a RED one they are not named on. Returns the condition and its
    named parameters (pyformat, `%(name)s`).
    """
    from dialogue.enums import Marking
    from dialogue.models import FollowUpAction

    field = cast("ManyToManyField[Any, Any]", FollowUpAction._meta.get_field("named_users"))
    through = cast("type[models.Model]", field.remote_field.through)
    action_column = cast("Field[Any, Any]", through._meta.get_field(field.m2m_field_name())).column
    user_column = cast(
        "Field[Any, Any]", through._meta.get_field(field.m2m_reverse_field_name())
    ).column
    condition = f"""({alias}.marking <> %(disclosure_red)s OR EXISTS (
        SELECT 1 FROM {through._meta.db_table} named
        WHERE named.{action_column} = {alias}.id AND named.{user_column} = {alias}.owner_id))"""  # noqa: S608 - names from model metadata only
    return condition, {"disclosure_red": Marking.RED.value}


def may_be_told(recipient: User, model: type[models.Model], pks: Iterable) -> set:
    """The subset of `pks` an e-mail may name to `recipient` at sending time: the records
    they may see now, and nothing for someone who can no longer receive mail. Checked
    again at sending because visibility can change between queueing and sending."""
    if not (recipient.is_active and recipient.email):
        return set()
    return visible_pks(recipient, model, pks)


# --- concern numbers --------------------------------------------------------------------


def sees_global_concern_ids(reader: User) -> bool:
    """Officials (and administrators) work with the global id; nobody else ever sees it."""
    return bool(getattr(reader, "is_authenticated", False)) and reader.role != Role.COMPANY


def concern_number(reader: User, concern) -> str:
    """How `reader` refers to a concern: the global id ("#57") for officials, the
    organization's own reference ("2026-0003") for everyone else.

    The global id counts every company's concerns, so a company user who saw it would
    learn how many concerns all companies have filed, and when: company users get only
    their organization's number, in pages, e-mails, links, files and the API.
    """
    return f"#{concern.pk}" if sees_global_concern_ids(reader) else concern.reference


def concern_key_filter(reader: User, key) -> models.Q:
    """The filter that finds the concern `reader` names by `key` in an address: the global
    id for officials, the organization's reference number for company users (an id from
    a company user names nothing, exactly like a number that does not exist)."""
    key = str(key)
    if sees_global_concern_ids(reader):
        return models.Q(pk=int(key)) if key.isascii() and key.isdigit() else models.Q(pk__in=[])
    return models.Q(organization_id=reader.organization_id, reference=key)


# --- snapshots and the references inside an artefact ------------------------------------


def count_label(shown: int | None) -> int | str:
    """How a count that went through `concern_count_or_none` reads on a page or in a file."""
    return str(FEWER_THAN_K) if shown is None else shown


def visible_now_condition(
    reader: User,
    model: type[models.Model],
    *,
    field: str = "object_id",
    markings: Iterable[str] | None = None,
) -> Q:
    """Rows whose `field` names a record of `model` the reader may see now (within `markings`).

    For snapshots: a frozen line is shown only if the record it copies is still the
    reader's to see — the most restrictive of the marking then and the marking now. A
    record deleted since stays under the snapshot's own marking. Subqueries only: the
    condition adds no query to the one it filters.
    """
    live = visible_rows(model, reader)
    if markings is not None:
        live = live.filter(marking__in=list(markings))
    return Q(**{f"{field}__in": live.values("pk")}) | ~Q(
        **{f"{field}__in": model._default_manager.values("pk")}
    )


class References:
    """References from an artefact (ids in a snapshot or a diff) to other records.

    Collect the ids first (`want`: ids, or a subquery of ids such as every id a
    snapshot names), then ask (`shown`): one query per referenced model for the whole
    artefact, never one per row. A reference is shown only when the reader may see
    the record now (and, with `markings`, only a record within them); models in
    `never` are never referenced (e.g. concerns in an export capped for wider
    circulation). Anything else reads as HIDDEN — never as an id.
    """

    def __init__(
        self,
        reader: User,
        *,
        markings: Iterable[str] | None = None,
        never: Iterable[type[models.Model]] = (),
    ):
        self.reader = reader
        self.markings = list(markings) if markings is not None else None
        self.never = set(never)
        self._wanted: dict[type[models.Model], set] = {}
        self._subqueries: dict[type[models.Model], list[models.QuerySet]] = {}
        self._visible: dict[type[models.Model], set] = {}

    def want(self, model: type[models.Model], pks) -> None:
        """Ids the artefact names: one id, a list of ids, or a subquery of ids."""
        self._visible.pop(model, None)
        if isinstance(pks, models.QuerySet):
            self._subqueries.setdefault(model, []).append(pks)
            return
        values = pks if isinstance(pks, list | tuple | set) else [pks]
        self._wanted.setdefault(model, set()).update(v for v in values if v is not None)

    def _visible_for(self, model: type[models.Model]) -> set:
        if model not in self._visible:
            wanted = Q(pk__in=self._wanted.get(model, set()))
            for subquery in self._subqueries.get(model, []):
                wanted |= Q(pk__in=subquery)
            if model in self.never or not (self._wanted.get(model) or self._subqueries.get(model)):
                self._visible[model] = set()
            else:
                rows = visible_rows(model, self.reader).filter(wanted)
                if self.markings is not None:
                    rows = rows.filter(marking__in=self.markings)
                self._visible[model] = set(rows.values_list("pk", flat=True))
        return self._visible[model]

    def resolve(self) -> References:
        """Ask now, for every model wanted: a fixed number of queries, even for no change."""
        for model in {*self._wanted, *self._subqueries}:
            self._visible_for(model)
        return self

    def shown(self, model: type[models.Model], value):
        """The id (or the list of ids) as the reader may see it: HIDDEN in place of the others.

        A list keeps the ids the reader may see and, if any was left out, one HIDDEN at
        its end (how many were left out is not told).
        """
        if value is None:
            return None
        visible = self._visible_for(model)
        if isinstance(value, list | tuple):
            kept = [pk for pk in value if pk in visible]
            return [*kept, HIDDEN] if len(kept) < len(value) else kept
        return value if value in visible else HIDDEN


def is_hidden(value) -> bool:
    if isinstance(value, list | tuple):
        return any(v is HIDDEN for v in value)
    return value is HIDDEN


def machine_readable(value):
    """A shown reference for the API: null for a hidden id, a hidden list entry left out."""
    if isinstance(value, list | tuple):
        return [v for v in value if v is not HIDDEN]
    return None if value is HIDDEN else value
