"""Reads on the threat register that are more than a filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogue.models import Threat
from dialogue.text_search import bigrams, fold

if TYPE_CHECKING:
    from dialogue.models import Sector, User

# Dice similarity of two titles' character pairs (folded, spaces ignored) from which a
# new threat is "near" an existing one: 「退職技術者を通じた製造ノウハウの流出」 and
# 「退職技術者経由の製造ノウハウ流出」 are, 「原料の供給途絶」 and 「技術の流出」 are not.
NEAR = 0.6


def _pairs(title: str) -> set[str]:
    return bigrams(fold(title).replace(" ", "").replace("\u3000", ""))


def similar_threats(user: User, *, sector: Sector, title: str, limit: int = 5) -> list[Threat]:
    """The threats of `sector` the user may see whose titles are near `title`, nearest first.

    One query for the titles of the sector (a few thousand at most) and one for the few
    that are near; the comparison runs in Python, as no index answers "similar" here.
    """
    wanted = _pairs(title)
    if not wanted:
        return []
    titles = Threat.objects.visible_to(user).filter(sector=sector).values_list("pk", "title")
    scored = []
    for pk, other in titles.iterator(chunk_size=2000):
        theirs = _pairs(other)
        if theirs:
            score = 2 * len(wanted & theirs) / (len(wanted) + len(theirs))
            if score >= NEAR:
                scored.append((score, pk))
    nearest = [pk for _score, pk in sorted(scored, reverse=True)[:limit]]
    found = Threat.objects.select_related("category").in_bulk(nearest)
    return [found[pk] for pk in nearest]
