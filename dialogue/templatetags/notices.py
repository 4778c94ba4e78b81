"""`{% unread_notices as count %}`: the portal navigation's badge, one query."""

from django import template

from dialogue.permissions import may_use_portal
from dialogue.selectors.notices import unread_notice_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_use_portal(user):
        return 0
    return unread_notice_count(user)
