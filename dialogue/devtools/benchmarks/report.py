"""The summary `manage.py benchmark --write-docs` writes into docs/benchmarks.md.

The generated part lies between two marker lines (BEGIN, END); everything
outside them is left as it is. It holds one table row per goal (benchmark,
what is compared, ours, reference, ratio, goal, PASS/FAIL), the date, the
machine and the options of the run.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import connection

from dialogue.devtools.benchmarks.registry import Goal, Result

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"

# Figure name -> unit, for the table's "ours" and "reference" cells.
UNITS = {"rps": "req/s", "seconds": "s", "peak_mb": "MB"}


class DocsError(ValueError):
    """The document has no generated section to replace."""


@dataclass
class Machine:
    cpu: str
    cores: int
    memory_gb: float
    system: str
    python: str
    database: str
    django: str

    def lines(self) -> list[str]:
        return [
            f"Machine: {self.cpu}, {self.cores} cores, {self.memory_gb:.1f} GiB RAM; {self.system}.",
            f"Software: Python {self.python}, {self.database}, Django {self.django}.",
        ]


def machine() -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        memory_gb=_memory_kb() / 1024 / 1024,
        system=_system(),
        python=platform.python_version(),
        database=database_version(),
        django=django.get_version(),
    )


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version.split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _memory_kb() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024
    except (ValueError, OSError, AttributeError):
        return 0


def _system() -> str:
    name = ""
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    kernel = f"{platform.system()} {platform.release()}"
    return f"{name}, {kernel}" if name else kernel


# -- the table ---------------------------------------------------------------
def render(results: list[Result], *, header: list[str], footer: list[str]) -> str:
    """The generated section's text (without the markers): `header` lines, one table
    row per goal and per reported figure, then `footer` lines as a list."""
    rows = [
        "| benchmark | compared | ours | reference | ratio | goal | |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        label = f"`{result.name}`: {result.label}" if result.label else f"`{result.name}`"
        if result.error:
            error = " ".join(result.error.split())[:300].replace("|", "\\|")
            rows.append(f"| {label} | could not run: {error} | | | | | **ERROR** |")
            continue
        for number, goal in enumerate(result.goals):
            rows.append(
                "| "
                + " | ".join(
                    [
                        label if number == 0 else "",  # the benchmark's further goals
                        goal.name,
                        _cell(result, goal.ours),
                        _cell(result, goal.reference),
                        _ratio(result, goal),
                        _goal(goal),
                        _verdict(goal),
                    ]
                )
                + " |"
            )
    parts = [*header, "", *rows, "", *(f"- {line}" for line in footer)]
    return "\n".join(parts).strip() + "\n"


def _cell(result: Result, reference: str) -> str:
    if not reference:
        return "–"
    side, _, figure = reference.partition(".")
    figures = result.figures.get(side, {})
    value = figures.get(figure)
    if value is None:
        return "–"
    if figure.endswith("_ms"):
        text = f"{_number(value)} ms"
    else:
        text = f"{_number(value)} {UNITS.get(figure, '')}".strip()
    if figure.endswith("_ms") and "queries" in figures:
        count = figures["queries"]
        text += f", {count:,} quer{'y' if count == 1 else 'ies'}"
    return text


def _ratio(result: Result, goal: Goal) -> str:
    if not goal.reference:
        return "–"
    text = f"{goal.value:.2f}"
    per_run = result.notes.get("goal_values_per_run", {}).get(goal.name)
    if per_run and len(per_run) > 1:
        text += f" ({min(per_run):.2f}–{max(per_run):.2f})"
    return text


def _goal(goal: Goal) -> str:
    if not goal.judged:
        return "–"
    op = {">=": "≥", "<=": "≤"}[goal.op]
    return f"{op} {goal.limit:g}{' ' + goal.unit if goal.unit else ''}"


def _verdict(goal: Goal) -> str:
    if not goal.judged:
        return "reported"
    return "PASS" if goal.met else "**FAIL**"


def _number(value: float) -> str:
    """Three significant digits or so, with thousands separators."""
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


# -- the document -------------------------------------------------------------
def replace_section(text: str, body: str) -> str:
    """`text` with what lies between the BEGIN and END lines replaced by `body`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0 or end < start or text.count(BEGIN) != 1 or text.count(END) != 1:
        raise DocsError(f"expected one {BEGIN} line followed by one {END} line")
    head = text[: start + len(BEGIN)]
    return f"{head}\n{body.strip()}\n{text[end:]}"


def check_document(path: Path) -> None:
    """Refuse before measuring when the document cannot take the section."""
    try:
        replace_section(path.read_text(encoding="utf-8"), "")
    except OSError as exc:
        raise DocsError(f"cannot read {path}: {exc.strerror}") from exc


def write_section(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(replace_section(text, body), encoding="utf-8")
