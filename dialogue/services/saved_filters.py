"""Saved list filters: a person keeps a list's filters and sort under a name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from dialogue.models import SavedFilter, User
from dialogue.services.common import PermissionDeniedError, save_validated

MAX_PER_LIST = 20
# What a saved filter never keeps: the page one happened to be on.
NOT_KEPT = ("page",)


def _kept_query(query: str) -> str:
    params = QueryDict(query, mutable=True)
    for name in NOT_KEPT:
        params.pop(name, None)
    return params.urlencode()


@transaction.atomic
def saved_filter_save(*, user: User, list_name: str, name: str, query: str) -> SavedFilter:
    """Save the filters under `name`; saving under a name already used replaces its filters."""
    name = name.strip()
    query = _kept_query(query)
    mine = SavedFilter.objects.select_for_update().filter(user=user, list_name=list_name)
    saved = mine.filter(name=name).first()
    if saved is None:
        if mine.count() >= MAX_PER_LIST:
            raise ValidationError(
                {
                    "name": _(
                        "You can keep at most %(count)d saved filters for a list; delete one first."
                    )
                    % {"count": MAX_PER_LIST}
                },
                code="too_many",
            )
        saved = SavedFilter(user=user, list_name=list_name, name=name)
    saved.query = query
    save_validated(saved, actor=user)
    return saved


def saved_filter_delete(*, user: User, saved: SavedFilter) -> None:
    if saved.user_id != user.pk:
        raise PermissionDeniedError(_("You can delete only your own saved filters."))
    saved.delete()
