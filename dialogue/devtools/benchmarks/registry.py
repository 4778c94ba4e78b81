"""Named benchmarks, their settings and their results.

A benchmark is a class registered under a name with `@register` in a module
of this package. `check()` runs before anything is started and raises
`BenchmarkError` when the database is not fit for it (e.g. no bench data);
`run(server)` measures once (`server` is the running gunicorn when the class
sets `needs_server`, else None) and returns a `Result` with its figures per
side, its goals (ratios against a limit) and whether they are met.

The command calls `run()` `--runs` times (3 by default) and reports the median
of each figure and of each goal's value over the runs (`median_of_runs`); then
`finish(result)` may add what is measured once (the exports' peak memory).

Same result before timing
-------------------------
A ratio means nothing if the two sides compute different things, so every
benchmark says what its sides return, and the command checks that they agree
once, after `check()` and before the first timed run:

    def outcomes(self, server) -> dict[str, object]:
        return {"ours": our_rows(), "reference": reference_rows()}

Each value is what one side produces, in a form that compares with `==`
(lists of tuples, dicts of counts, bytes, a set of ledger keys …). The first
entry is ours; every other entry must equal it. `verify(server)` (not to be
overridden) calls `outcomes`, then `check_same`, which raises `BenchmarkError`
naming the first difference (the path into the values, e.g.
`reference[('semiconductors', '1-2')]: 41 != 40`). A benchmark that does not
implement `outcomes` cannot run: the base class raises `BenchmarkError`.
Sides that write run in a transaction that is rolled back (see
`inprocess.rolled_back`), so computing the outcomes leaves the database as it
was. What was compared is added to every result's notes (`same_result`).

Order and drift: `run_index` is the number of the current run (0, 1, …, set
by the command); in-process benchmarks start with the other side on odd runs
(`inprocess.side_by_side(..., run_index=...)` does it and reports the order).
A benchmark whose sides write lists the tables in `writes_tables`;
`side_by_side` runs `VACUUM (ANALYZE)` on them after every round, outside any
transaction, so dead rows from rolled-back rounds do not slow later ones.
"""

from __future__ import annotations

import importlib
import operator
import pkgutil
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

REGISTRY: dict[str, type[Benchmark]] = {}


def benchmarks() -> dict[str, type[Benchmark]]:
    """Every registered benchmark by name.

    Imports every module of this package, so a new benchmark is a new module
    with a `@register` class; they run in the order of their module names.
    """
    package = importlib.import_module("dialogue.devtools.benchmarks")
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return REGISTRY


class BenchmarkError(Exception):
    """The benchmark cannot run (missing data, server failure, different rows …)."""


MAX_SHOWN = 120  # characters of a value shown in a difference


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def first_difference(ours: object, other: object, path: str = "") -> str | None:
    """Where `ours` and `other` first differ, as `path: ours != other`; None when equal.

    Walks dicts (keys in sorted order where they sort), lists and tuples (by
    index, then length), and bytes or text (the first differing offset, with a
    few characters around it)."""
    if ours == other:
        return None
    if isinstance(ours, dict) and isinstance(other, dict):
        keys = list(ours.keys() | other.keys())
        try:
            keys.sort()
        except TypeError:
            keys.sort(key=repr)
        for key in keys:
            if key not in other:
                return f"{path}[{key!r}]: only ours has it ({_shown(ours[key])})"
            if key not in ours:
                return f"{path}[{key!r}]: only the reference has it ({_shown(other[key])})"
            found = first_difference(ours[key], other[key], f"{path}[{key!r}]")
            if found:
                return found
    if isinstance(ours, set | frozenset) and isinstance(other, set | frozenset):
        missing, extra = ours - other, other - ours
        parts = []
        if missing:
            parts.append(f"{len(missing)} only ours, e.g. {_shown(sorted(missing, key=repr)[0])}")
        if extra:
            parts.append(
                f"{len(extra)} only the reference, e.g. {_shown(sorted(extra, key=repr)[0])}"
            )
        return f"{path or 'set'}: " + "; ".join(parts)
    if isinstance(ours, list | tuple) and isinstance(other, list | tuple):
        for index, (left, right) in enumerate(zip(ours, other, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(ours) != len(other):
            return f"{path or 'rows'}: {len(ours):,} items != {len(other):,} items"
    if (
        isinstance(ours, bytes | str)
        and isinstance(other, bytes | str)
        and type(ours) is type(other)
        and max(len(ours), len(other)) > MAX_SHOWN // 2  # short ones are shown whole
    ):
        offset = next(
            (i for i, (a, b) in enumerate(zip(ours, other, strict=False)) if a != b),
            min(len(ours), len(other)),
        )
        start = max(0, offset - 20)
        return (
            f"{path or 'bytes'} at offset {offset:,} (lengths {len(ours):,} and {len(other):,}): "
            f"{_shown(ours[start : offset + 40])} != {_shown(other[start : offset + 40])}"
        )
    return f"{path or 'value'}: {_shown(ours)} != {_shown(other)}"


def check_same(name: str, outcomes: dict[str, object]) -> str:
    """Raise BenchmarkError unless every side's outcome equals the first (ours).

    Returns a one-line description of what was compared, for the notes."""
    if len(outcomes) < 2:
        raise BenchmarkError(f"{name}: outcomes() must return ours and at least one reference")
    sides = list(outcomes)
    ours = outcomes[sides[0]]
    for side in sides[1:]:
        found = first_difference(ours, outcomes[side])
        if found:
            raise BenchmarkError(
                f"{name}: {sides[0]} and {side} do not return the same result; "
                f"first difference at {found}"
            )
    return f"{', '.join(sides)} return the same {_describe(ours)}"


def _describe(value: object) -> str:
    if isinstance(value, bytes | str):
        return f"{len(value):,} {'bytes' if isinstance(value, bytes) else 'characters'}"
    if isinstance(value, dict | list | tuple | set | frozenset):
        return f"{type(value).__name__} of {len(value):,} items"
    return type(value).__name__


def register(cls: type[Benchmark]) -> type[Benchmark]:
    if cls.name in REGISTRY:
        raise ValueError(f"benchmark {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls
    return cls


@dataclass
class RunOptions:
    requests: int = 500  # per endpoint and round
    rounds: int | None = None  # per run; None: each benchmark's default_rounds
    runs: int = 3  # the reported figures are the medians over the runs
    concurrency: int = 2
    warmup: int = 40  # per endpoint, before the first round
    max_seconds: float = 60.0  # per endpoint and round
    allow_small: bool = False


@dataclass
class Goal:
    """`value <op> limit`, e.g. rps ratio >= 0.30.

    `ours` and `reference` name the figures ("side.figure") the value compares,
    for the summary table; a goal without a reference judges one figure (then
    `unit` is its unit, e.g. MB). An empty `op` makes a figure that is reported
    beside the goals but not judged.
    """

    name: str
    value: float
    op: str  # ">=", "<=", or "" (reported, not judged)
    limit: float
    ours: str = ""
    reference: str = ""
    unit: str = ""

    OPERATORS = {">=": operator.ge, "<=": operator.le}

    @property
    def judged(self) -> bool:
        return bool(self.op)

    @property
    def met(self) -> bool:
        return not self.judged or self.OPERATORS[self.op](self.value, self.limit)

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


@dataclass
class Result:
    name: str
    description: str
    # Per measured side (e.g. "api", "reference"): figure name -> value.
    figures: dict[str, dict[str, float]] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)
    label: str = ""  # one line for the summary table; the name when empty
    runs: int = 1  # how many runs the figures are the median of
    error: str = ""  # set when the benchmark could not run to the end

    @property
    def met(self) -> bool:
        return not self.error and all(goal.met for goal in self.goals)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "label": self.label,
            "runs": self.runs,
            "figures": self.figures,
            "goals": [goal.as_dict() for goal in self.goals],
            "met": self.met,
            "error": self.error,
            "notes": self.notes,
        }


def median_of_runs(runs: list[Result]) -> Result:
    """One result from several runs of a benchmark: the median of every figure and of
    every goal's value (each run's own ratio, then the median, not the ratio of the
    medians). The per-run values are kept in the notes."""
    if not runs:
        raise ValueError("no runs to combine")
    first = runs[0]
    figures: dict[str, dict[str, float]] = {}
    for side, names in first.figures.items():
        figures[side] = {}
        for name in names:
            values = [run.figures[side][name] for run in runs if name in run.figures.get(side, {})]
            figures[side][name] = _median(values)
    goals = [
        replace(goal, value=_median([run.goals[index].value for run in runs]))
        for index, goal in enumerate(first.goals)
    ]
    notes: dict[str, object] = dict(first.notes) if len(runs) == 1 else {}
    if len(runs) > 1:
        notes["goal_values_per_run"] = {
            goal.name: [run.goals[index].value for run in runs]
            for index, goal in enumerate(first.goals)
        }
        notes["notes_per_run"] = [run.notes for run in runs]
    return Result(
        name=first.name,
        description=first.description,
        figures=figures,
        goals=goals,
        notes=notes,
        label=first.label,
        runs=len(runs),
    )


def _median(values: list[float]) -> float:
    """The median; of whole numbers (query counts, rows) a whole number, the lower middle."""
    if all(isinstance(value, int) for value in values):
        return statistics.median_low(values)
    return statistics.median(values)


class Benchmark:
    name: str = ""
    description: str = ""
    label: str = ""  # "ours vs reference" in a few words, for the summary table
    needs_server: bool = False
    default_rounds: int = 5  # rounds per run unless --rounds is given
    writes_tables: tuple[str, ...] = ()  # vacuumed and analyzed after every round

    def __init__(self, options: RunOptions, say: Callable[[str], None] = print):
        self.options = options
        self.say = say
        self.run_index = 0  # set by the command before each run
        self.same_result = ""  # what verify() compared

    def outcomes(self, server) -> dict[str, object]:
        """What each side returns, ours first: `{"ours": …, "reference": …}` (see above)."""
        raise BenchmarkError(
            f"{self.name} does not say what its sides return (outcomes()), so the same-result "
            "check cannot run; a benchmark without it is not measured."
        )

    def verify(self, server=None) -> str:
        """Check once, before timing, that every side returns the same result as ours."""
        self.same_result = check_same(self.name, self.outcomes(server))
        self.say(f"  same result: {self.same_result}")
        return self.same_result

    @property
    def rounds(self) -> int:
        return self.options.rounds or self.default_rounds

    def check(self) -> None:
        """Refuse early (BenchmarkError) when the database cannot carry the benchmark."""

    def run(self, server) -> Result:
        """One run: measure every side `self.rounds` times, alternating which goes first."""
        raise NotImplementedError

    def finish(self, result: Result) -> Result:
        """After the runs, on their median: add what is measured once (e.g. peak memory)."""
        return result
