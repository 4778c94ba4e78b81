"""The reply templates offered on a concern's page."""

from __future__ import annotations

from dialogue.models import Concern, ReplyTemplate, User


def reply_templates_for(user: User, concern: Concern) -> list[ReplyTemplate]:
    """The templates for the concern's sector and those for every sector, by title."""
    return list(
        ReplyTemplate.objects.visible_to(user)
        .for_sector(concern.sector_id)
        .select_related("sector")
        .order_by("title", "pk")
    )


def chosen_template(templates: list[ReplyTemplate], chosen: str | None) -> ReplyTemplate | None:
    """The template whose id the reader chose, among those offered (never another)."""
    return next((t for t in templates if str(t.pk) == chosen), None)
