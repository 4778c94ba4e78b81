"""How people are named on pages, in select boxes and in files."""

from __future__ import annotations


def person_name(user) -> str:
    """Family name first in both languages, as the government writes Japanese names in
    English since 2020 (半田 一郎, HANDA Ichiro); the user name when both are empty."""
    if user is None:
        return ""
    family, given = (user.last_name or "").strip(), (user.first_name or "").strip()
    if not family and not given:
        return user.get_username()
    return " ".join(part for part in (family, given) if part)
