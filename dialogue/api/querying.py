"""Queryset helpers for the API: per-row visibility of related ids without a query per row."""

from django.db.models import Exists, OuterRef, Prefetch


def annotate_visible(queryset, user, relations: dict):
    """Annotate `<name>_visible` for each ForeignKey `name` → related model."""
    return queryset.annotate(
        **{
            f"{name}_visible": Exists(
                model.objects.visible_to(user).filter(pk=OuterRef(f"{name}_id"))
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
