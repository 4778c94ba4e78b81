"""Word search over Japanese and English text: one implementation for pages and the API.

Semantics: the query is split into words on any white space (the full-width space
included); every word must occur, as a substring, in one of the record's search
fields. Text and words are compared folded: full-width letters, digits and signs as
their ASCII forms (ＡＩ, ２０２６ match AI, 2026), half-width katakana as full-width
(ﾌｫﾄ matches フォト; the voiced marks ﾞﾟ are folded on their own, so ｶﾞ matches only
ｶﾞ and カ゛), the ideographic space as a space, then lower case. That is NFKC for
every character that NFKC maps to one character, done with `translate`: NFKC in
SQL costs ten times as much per row, and the check runs on every candidate row.

How it stays fast on PostgreSQL without a Japanese tokenizer (pg_bigm and PGroonga
are not available; a trigram index cannot narrow a two-character word such as 供給):

- `dialogue_search_text(field, …)` folds and joins a record's search fields;
- `dialogue_bigrams(text)` is the set of its two-character substrings, and each
  searchable table has a GIN index on `dialogue_bigrams(dialogue_search_text(…))`
  (migration 0007). Every two-or-more-character word's bigrams must be in the
  set: the index finds the candidates, whatever the word's length;
- the exact substring test (`LIKE '%word%'` on the same folded text) then keeps only
  true matches, so the result is exactly the substring scan's. A two-character word
  needs no such test: it occurs exactly when its one bigram does. A longer word asks
  the index for a few bigrams that cover it without overlapping (`key_bigrams`):
  more would cost more posting lists and narrow little, as the test follows anyway;
- a bitmap scan of that index finds every candidate before the rows are sorted, which
  is right for a rare word and slow for a frequent one (フォトレジスト in thousands of
  records: seconds). So a first page is chosen by the capped count (`search_page`,
  `searched`): when more than COUNT_CAP rows match, the rows are read in the page's
  order, on its index, with the substring test as a filter, and the scan stops at the
  page's last row (about limit × rows / matches rows read); otherwise through the
  bigram index.

On SQLite (the embedded default) the same `dialogue_search_text` is registered as a
Python function and the substring test alone runs: same results, no index.
Totals are counted up to COUNT_CAP; beyond that the page says "1,000+".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections, transaction
from django.db.models import Func, Q, QuerySet, TextField

MAX_WORDS = 8
MAX_WORD_LENGTH = 100
COUNT_CAP = 1000

# The fields each searchable model is searched by, in the order the indexes use
# (migration 0007 builds one index per entry; a test checks they agree).
SEARCH_FIELDS = {
    "threat": ("title", "description"),
    "chokepointtechnology": ("name", "description", "holders"),
    "dialoguesession": ("title", "minutes"),
    "concern": ("title", "description"),
    "followupaction": ("title", "description"),
    "notice": ("title_ja", "title_en", "body_ja", "body_en"),
}

# Small reference tables (the support catalogue, tens of rows): searched by the same
# substring test, without a bigram index.
UNINDEXED_SEARCH_FIELDS = {
    "supportorganization": (
        "abbreviation",
        "name_ja",
        "name_en",
        "description_ja",
        "description_en",
    ),
    "supportscheme": ("name_ja", "name_en", "description_ja", "description_en"),
}


def width_folding() -> tuple[str, str]:
    """The characters `fold` replaces and their replacements (migration 0007 has a copy)."""
    source, target = [], []
    for code in [*range(0xFF01, 0xFF5F), *range(0xFF61, 0xFFA0), 0x3000]:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


FOLD_TABLE = str.maketrans(*width_folding())


def fold(text: str) -> str:
    return (text or "").translate(FOLD_TABLE).lower()


def _raw_forms() -> dict[str, str]:
    """For each folded character, the characters that fold to it (besides itself)."""
    forms: dict[str, str] = {}
    for source, target in zip(*width_folding(), strict=True):
        folded = target.lower()
        forms[folded] = forms.get(folded, "") + source
    for letter in "abcdefghijklmnopqrstuvwxyz":
        forms[letter] = forms.get(letter, "") + letter.upper()
    # The only other characters Python lower-cases into ASCII: KELVIN SIGN, and the
    # dotted capital I (to "i" and a combining dot).
    forms["k"] += "\u212a"
    forms["i"] += "\u0130"
    return forms


RAW_FORMS = _raw_forms()


def raw_pattern(word: str) -> str | None:
    """A regular expression that finds, in the unfolded text, every place where the
    folded text holds `word` (and maybe a few more): a bracket of the characters that
    fold to each of its characters. None when a character's other forms are not all
    known (letters with case outside ASCII, the combining dot of İ): no pattern then.

    Matching it costs microseconds a row where folding the text costs a millisecond,
    so it runs first and the exact test only on the rows it keeps."""
    brackets = []
    for char in word:
        if char == "\u0307" or (not char.isascii() and char.lower() != char.upper()):
            return None
        forms = char + RAW_FORMS.get(char, "")
        brackets.append("[" + "".join(f"\\{c}" if c in "\\[]^-" else c for c in forms) + "]")
    return "".join(brackets)


def search_words(query: str) -> list[str]:
    """The folded words of a query, at most MAX_WORDS of at most MAX_WORD_LENGTH characters."""
    words = [fold(word)[:MAX_WORD_LENGTH] for word in (query or "").split()]
    return [word for word in words if word][:MAX_WORDS]


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


MAX_KEY_BIGRAMS = 4


def key_bigrams(word: str) -> set[str]:
    """Bigrams of `word` the index is asked for: non-overlapping ones covering it (the
    last one overlapping when the length is odd), at most MAX_KEY_BIGRAMS of them
    spread over the word. Every one occurs wherever the word does."""
    if len(word) < 2:
        return set()
    starts = [*range(0, len(word) - 1, 2)]
    if len(word) % 2:
        starts.append(len(word) - 2)
    if len(starts) > MAX_KEY_BIGRAMS:
        step = (len(starts) - 1) / (MAX_KEY_BIGRAMS - 1)
        starts = [starts[round(n * step)] for n in range(MAX_KEY_BIGRAMS)]
    return {word[start : start + 2] for start in starts}


def folded_join(*parts: str | None) -> str:
    """What `dialogue_search_text` computes in SQL (used by SQLite and by tests)."""
    return fold(" ".join(part for part in parts if part is not None))


class SearchText(Func):
    function = "dialogue_search_text"
    output_field = TextField()


class Bigrams(Func):
    function = "dialogue_bigrams"
    output_field = ArrayField(TextField())


def search_fields_for(model) -> tuple[str, ...]:
    name = model._meta.model_name
    return SEARCH_FIELDS[name] if name in SEARCH_FIELDS else UNINDEXED_SEARCH_FIELDS[name]


def matching(queryset: QuerySet, words: list[str], *, indexed: bool = True) -> QuerySet:
    """The rows of `queryset` in which every word occurs (words from `search_words`).

    `indexed` (PostgreSQL): narrow through the bigram index. Without it only the
    substring tests are added, as a filter the planner applies while it walks the rows
    in another index's order: the way to the first page of a frequent word.
    """
    if not words:
        return queryset
    fields = search_fields_for(queryset.model)
    queryset = queryset.alias(_search_text=SearchText(*fields))
    indexed = indexed and queryset.model._meta.model_name in SEARCH_FIELDS
    through_index = indexed and connections[queryset.db].vendor == "postgresql"
    wanted = set().union(*(key_bigrams(word) for word in words))
    if through_index and wanted:
        queryset = queryset.alias(_search_bigrams=Bigrams(SearchText(*fields))).filter(
            _search_bigrams__contains=sorted(wanted)
        )
    postgresql = connections[queryset.db].vendor == "postgresql"
    for word in words:
        # The pattern goes with the bigrams too: where the planner scans a small table
        # instead of using the index, it tests the cheaper filter first, and computes
        # the bigrams of the few rows left.
        pattern = raw_pattern(word) if postgresql else None
        if pattern is not None:
            # Cheap, and exact as it stands: each character of the word against the
            # characters that fold to it, in any one field (a word holds no space).
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{name}__regex": pattern}) for name in fields))
            )
            if "i" not in word:
                continue
            # İ folds to two characters, "i" and a combining dot: [iİ] can match where
            # the folded text has the dot in between, so the exact test follows.
        if through_index and len(word) == 2:
            continue  # a two-character word occurs exactly when its one bigram does
        queryset = queryset.filter(_search_text__contains=word)
    return queryset


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(rows, more): the number of rows up to `cap` (COUNT_CAP), and whether there are more.

    Counts at most cap + 1 rows, so a word found in half the table costs no full count.
    """
    cap = COUNT_CAP if cap is None else cap
    counted = queryset.order_by()[: cap + 1].count()
    return min(counted, cap), counted > cap


def searched(queryset: QuerySet, words: list[str]) -> QuerySet:
    """`matching`, planned for reading the first rows in the queryset's order: through
    the bigram index when at most COUNT_CAP rows match, else along the order (one
    capped count decides; none for no words or on SQLite, where both are one scan)."""
    if not words or connections[queryset.db].vendor != "postgresql":
        return matching(queryset, words)
    _, frequent = capped_count(matching(queryset, words))
    return matching(queryset, words, indexed=not frequent)


def search_page(queryset: QuerySet, words: list[str], limit: int) -> tuple[list[Any], int, bool]:
    """(rows, total, more): the first `limit` matching rows in the queryset's order, their
    number up to COUNT_CAP and whether there are more: at most two queries, one when
    nothing matches."""
    total, more = capped_count(matching(queryset, words))
    if not total:
        return [], 0, False
    if not more:
        return list(matching(queryset, words)[:limit]), total, more
    with along_the_order(queryset.db):
        rows = list(matching(queryset, words, indexed=False)[:limit])
    return rows, total, more


@contextmanager
def along_the_order(using: str) -> Iterator[None]:
    """Plan the queries inside on the order's index (PostgreSQL; nothing elsewhere).

    The planner cannot know how often a word occurs (no statistics on a pattern), takes
    the match for rare, and sorts every row instead of reading the first few in order.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('enable_bitmapscan', 'off', true)"
        )
        try:
            yield
        finally:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'on', true),"
                " set_config('enable_bitmapscan', 'on', true)"
            )


# --- SQLite: the same function, in Python --------------------------------------------


def install_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the SQL function the search uses, on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "dialogue_search_text", -1, folded_join, deterministic=True
        )
