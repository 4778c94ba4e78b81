"""Queryset helpers for the API: per-row visibility of related ids without a query per row."""

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.lookups import IsNull


def annotate_visible(queryset, user, relations: dict):
    """Annotate `<name>_visible` for each ForeignKey `name` → related model.

    Each flag is a correlated EXISTS that probes the related row by primary key.
    The `<name>_id IS NOT NULL` test on the outer row changes nothing in the
    result (a NULL id matches no row), but it keeps PostgreSQL from turning the
    EXISTS into a hashed subplan: in the SELECT list the planner sizes that
    choice by the rows before the page's LIMIT, so it would hash *every* visible
    related row (a full scan of the concerns table) to answer a 50-row page.
    As a per-row probe it costs one index lookup per row on the page.
    """
    return queryset.annotate(
        **{
            f"{name}_visible": Exists(
                model.objects.visible_to(user).filter(
                    IsNull(OuterRef(f"{name}_id"), False), pk=OuterRef(f"{name}_id")
                )
            )
            for name, model in relations.items()
        }
    )


def prefetch_visible(queryset, user, relations: dict):
    """Prefetch many-to-many ids limited to what `user` may see."""
    return queryset.prefetch_related(
        *(
            Prefetch(name, queryset=model.objects.visible_to(user).only("pk"))
            for name, model in relations.items()
        )
    )
