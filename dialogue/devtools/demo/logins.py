"""The logins table printed after seeding: one row per demo account, aligned for Japanese text."""

from __future__ import annotations

import unicodedata

from dialogue.devtools.demo.accounts import ACCOUNTS
from dialogue.models import User


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def logins_table(users: dict[str, User], password: str) -> list[str]:
    """Header, rule and one line per account: username, role, organization / sectors, password."""
    rows = [("username", "role", "organization / sectors", "password")]
    for spec in ACCOUNTS:
        user = users[spec["username"]]
        if user.organization_id:
            where = user.organization.name + (" (org admin)" if user.is_org_admin else "")
        elif spec.get("sectors"):
            where = ", ".join(spec["sectors"])
            if spec.get("leads"):
                where += " (lead)"
        else:
            where = "all sectors"
        rows.append((user.username, user.role, where, password))
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]
