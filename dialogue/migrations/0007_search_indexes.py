"""Bigram indexes for word search on PostgreSQL (dialogue/text_search.py explains them).

Nothing on other databases: SQLite registers `dialogue_search_text` in Python and
scans. The field lists are those of text_search.SEARCH_FIELDS, frozen here.
"""

import unicodedata

from django.db import migrations

TABLES = {
    "dialogue_threat": ("title", "description"),
    "dialogue_chokepointtechnology": ("name", "description", "holders"),
    "dialogue_dialoguesession": ("title", "minutes"),
    "dialogue_concern": ("title", "description"),
    "dialogue_followupaction": ("title", "description"),
}



def width_folding() -> tuple[str, str]:
    """Full-width ASCII, half-width katakana and the ideographic space, each to the one
    character NFKC makes of it (text_search.width_folding, frozen here)."""
    source, target = [], []
    for code in [*range(0xFF01, 0xFF5F), *range(0xFF61, 0xFFA0), 0x3000]:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


FUNCTIONS = """
CREATE OR REPLACE FUNCTION dialogue_search_text(VARIADIC parts text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(translate(array_to_string(parts, ' '), %(source)s, %(target)s)) $$;

CREATE OR REPLACE FUNCTION dialogue_bigrams(document text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    -- Characters zipped with their successors: one pass (substr(document, i, 2) would
    -- walk the UTF-8 text from its start for every i). GIN drops repeated keys itself.
    SELECT coalesce(array_agg(first || second), '{}')
    FROM (SELECT string_to_array(document, NULL) AS chars) AS split,
         unnest(chars, chars[2:]) AS pairs(first, second)
    WHERE second IS NOT NULL
$$;
"""


def index_name(table: str) -> str:
    return f"{table.removeprefix('dialogue_')}_search_bigrams"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    source, target = width_folding()
    schema_editor.execute(FUNCTIONS % {"source": literal(source), "target": literal(target)}, None)
    # GIN builds much faster with room to sort its keys (this transaction only).
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'", None)
    for table, fields in TABLES.items():
        columns = ", ".join(f'"{name}"' for name in fields)
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index_name(table)}" ON "{table}" '
            f"USING gin (dialogue_bigrams(dialogue_search_text({columns})))",
            None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table)}"', None)
    schema_editor.execute("DROP FUNCTION IF EXISTS dialogue_bigrams(text)", None)
    schema_editor.execute("DROP FUNCTION IF EXISTS dialogue_search_text(VARIADIC text[])", None)


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0006_concern_reference")]

    operations = [migrations.RunPython(forwards, backwards)]
