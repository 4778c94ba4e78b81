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

    def __init__(self, options: RunOptions, say: Callable[[str], None] = print):
        self.options = options
        self.say = say

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
