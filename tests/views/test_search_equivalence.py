"""The indexed search returns exactly what a plain substring scan returns.

Generated Japanese (and some full-width/half-width English) text, queries of one to
three words including two-character words; the reference is Python's own `in` over
the folded fields. On PostgreSQL the bigram index must also be the plan's way in.
"""

import random

import pytest
from django.db import connection

from dialogue.enums import Marking
from dialogue.models import ChokepointTechnology, Threat
from dialogue.text_search import (
    SEARCH_FIELDS,
    bigrams,
    folded_join,
    key_bigrams,
    matching,
    search_fields_for,
    search_words,
    searched,
    width_folding,
)
from tests import factories as f

VOCABULARY = [
    "供給",
    "供給網",
    "流出",
    "技術流出",
    "退職者",
    "設計",
    "設計図",
    "輸出規制",
    "半導体",
    "フォトレジスト",
    "ﾌｫﾄﾚｼﾞｽﾄ",
    "ＡＩ",
    "AI",
    "２０２６",
    "2026",
    "原料",
    "部品",
    "途絶",
    "経済的威圧",
    "取引先",
    "要求",
    "共同事業",
    "サイバー攻撃",
    "人材",
    "の",
    "が",
    "、",
]
QUERIES = [
    "供給",
    "流出",
    "設計",
    "供給 設計",
    "技術流出 退職者",
    "フォトレジスト",
    "ai",
    "ＡＩ 2026",
    "輸出規制 半導体 要求",
    "給網",
    "退職",
    "サイバー 人材 設計",
    "存在しない語",
    "の",
]


def sentence(rng: random.Random) -> str:
    return "".join(rng.choice(VOCABULARY) for _ in range(rng.randint(2, 12)))


@pytest.mark.django_db
def test_search_matches_a_plain_substring_scan(semiconductors):
    rng = random.Random(20261207)
    author = f.SecretariatFactory()
    category = f.ThreatCategoryFactory(code="2-1")
    Threat.objects.bulk_create(
        Threat(
            title=sentence(rng)[:200],
            description=sentence(rng) if rng.random() < 0.8 else "",
            sector=semiconductors,
            category=category,
            likelihood=3,
            impact=3,
            marking=Marking.GREEN,
            created_by=author,
        )
        for _ in range(400)
    )
    for n in range(60):
        f.ChokepointFactory(
            name=sentence(rng)[:200],
            description=sentence(rng),
            holders=sentence(rng) if n % 2 else "",
            sector=semiconductors,
        )
    sizes = []
    for model in (Threat, ChokepointTechnology):
        fields = search_fields_for(model)
        documents = {
            row[0]: folded_join(*row[1:]) for row in model.objects.values_list("pk", *fields)
        }
        for query in QUERIES:
            words = search_words(query)
            expected = {pk for pk, text in documents.items() if all(w in text for w in words)}
            found = set(matching(model.objects.all(), words).values_list("pk", flat=True))
            assert found == expected, (model.__name__, query)
            # Read along another order (a frequent word's first page): the same rows.
            walked = matching(model.objects.all(), words, indexed=False)
            assert set(walked.values_list("pk", flat=True)) == expected, (model.__name__, query)
            # And as the lists' `search` filter chooses between the two, in their order.
            ordered = model.objects.order_by("-updated_at", "-pk")
            assert list(searched(ordered, words).values_list("pk", flat=True)) == [
                pk for pk in ordered.values_list("pk", flat=True) if pk in expected
            ], (model.__name__, query)
            sizes.append(len(expected))
    # The comparison means something: queries that find some rows, and some that find none.
    assert sum(1 for size in sizes if size) >= 10 and 0 in sizes


def test_bigrams_of_a_word():
    assert bigrams("供給網") == {"供給", "給網"}
    assert bigrams("の") == set()


def test_a_long_word_asks_the_index_for_a_few_bigrams_that_cover_it():
    assert key_bigrams("供給") == {"供給"}
    assert key_bigrams("供給網") == {"供給", "給網"}
    assert key_bigrams("フォトレジスト") == {"フォ", "トレ", "ジス", "スト"}
    long = "サプライチェーンの途絶と代替調達"
    assert len(key_bigrams(long)) == 4 and key_bigrams(long) <= bigrams(long)
    assert long[:2] in key_bigrams(long) and long[-2:] in key_bigrams(long)
    assert key_bigrams("の") == set()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_every_searched_table_has_its_bigram_index_and_the_plan_uses_it(semiconductors):
    from django.apps import apps

    with connection.cursor() as cursor:
        for model_name, fields in SEARCH_FIELDS.items():
            table = apps.get_model("dialogue", model_name)._meta.db_table
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
                [table, "%search_bigrams"],
            )
            (definition,) = cursor.fetchone()
            assert "dialogue_bigrams(dialogue_search_text(" in definition
            for name in fields:
                assert name in definition
        # With plain scans off, a two-character word must still find its index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = matching(Threat.objects.order_by(), ["供給"]).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "threat_search_bigrams" in plan, plan


@pytest.mark.django_db
def test_the_database_folds_text_as_python_does():
    source, _ = width_folding()
    text = f"{source} MiXeD ケース ﾌｫﾄﾚｼﾞｽﾄ ＡＩ２０２６"
    with connection.cursor() as cursor:
        cursor.execute("SELECT dialogue_search_text(%s, %s)", [text, "第２部"])
        (folded,) = cursor.fetchone()
    assert folded == folded_join(text, "第２部")
    assert "ai2026" in folded and '!"#$%&' in folded


def test_the_raw_pattern_finds_every_form_that_folds_to_the_word():
    import re

    from dialogue.text_search import fold, raw_pattern

    # Each character of the folded form of any character: its pattern (if any) finds it.
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for folded in set(fold(char)) - {char}:
            pattern = raw_pattern(folded)
            assert pattern is None or re.fullmatch(pattern, char), (hex(code), folded)
    assert raw_pattern("半導体") == "[半][導][体]"
    assert raw_pattern(fold("ﾌｫﾄ")) == "[フﾌ][ォｫ][トﾄ]"
    assert raw_pattern("é") is None
