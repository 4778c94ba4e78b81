"""Named benchmarks, their settings and their results.

A benchmark is a class registered under a name with `@register` in a module
of this package. `check()` runs before anything is started and raises
`BenchmarkError` when the database is not fit for it (e.g. no bench data);
`run(server)` measures (`server` is the running gunicorn when the class sets
`needs_server`, else None) and returns a `Result` with its figures per side,
its goals (ratios against a limit) and whether they are met.
"""

from __future__ import annotations

import importlib
import operator
import pkgutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

REGISTRY: dict[str, type[Benchmark]] = {}


def benchmarks() -> dict[str, type[Benchmark]]:
    """Every registered benchmark by name.

    Imports every module of this package, so a new benchmark is a new module
    with a `@register` class; they run in the order of their module names.
    """
    package = importlib.import_module("dialogue.benchmarks")
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
    rounds: int = 5
    concurrency: int = 2
    warmup: int = 40  # per endpoint, before the first round
    max_seconds: float = 60.0  # per endpoint and round
    allow_small: bool = False


@dataclass
class Goal:
    """`value <op> limit`, e.g. rps ratio >= 0.30."""

    name: str
    value: float
    op: str  # ">=" or "<="
    limit: float

    OPERATORS = {">=": operator.ge, "<=": operator.le}

    @property
    def met(self) -> bool:
        return self.OPERATORS[self.op](self.value, self.limit)

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

    @property
    def met(self) -> bool:
        return all(goal.met for goal in self.goals)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "figures": self.figures,
            "goals": [goal.as_dict() for goal in self.goals],
            "met": self.met,
            "notes": self.notes,
        }


class Benchmark:
    name: str = ""
    description: str = ""
    needs_server: bool = False

    def __init__(self, options: RunOptions, say: Callable[[str], None] = print):
        self.options = options
        self.say = say

    def check(self) -> None:
        """Refuse early (BenchmarkError) when the database cannot carry the benchmark."""

    def run(self, server) -> Result:
        raise NotImplementedError
