"""List specifications, below the pages, the API and the exports that all read them.

Per register or tracker (threats.py, chokepoints.py, actions.py): the API's FilterSet
and the page's (labelled select boxes), the page's sort options, the API's ordering
fields and default order, and the export's columns, gathered in one `ListKind`. An
export of "what this list shows" takes the same specification as the list it copies:
`LISTS[kind].source("workspace" | "api")`.

The lists without an export keep only their API FilterSet here (sessions.py,
concerns.py, organizations.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dialogue.lists.actions import ACTIONS
from dialogue.lists.base import (
    API,
    NO_SUCH_LIST,
    SOURCES,
    WORKSPACE,
    ApiList,
    ListKind,
    PageList,
    Params,
)
from dialogue.lists.chokepoints import CHOKEPOINTS
from dialogue.lists.threats import THREATS

__all__ = [
    "API",
    "LISTS",
    "SOURCES",
    "WORKSPACE",
    "ApiList",
    "ListKind",
    "PageList",
    "Params",
    "list_kind",
]

LISTS: dict[str, ListKind] = {spec.kind: spec for spec in (THREATS, ACTIONS, CHOKEPOINTS)}


def list_kind(kind: str) -> ListKind:
    """The list named `kind`; ValidationError for any other name."""
    if kind not in LISTS:
        raise ValidationError(NO_SUCH_LIST, code="invalid")
    return LISTS[kind]
