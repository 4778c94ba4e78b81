"""The same-result check of the HTTP benchmarks of the paths users take.

Each of them says what its sides return in `outcomes(server)` (ours first) and
checks it again with `require_same` inside every run, right before timing, so
that a run never measures two sides that answer differently, even when the
data changed between runs.
"""

from __future__ import annotations

from dialogue.devtools.benchmarks.registry import BenchmarkError


def require_same(name: str, outcomes: dict[str, object]) -> str:
    """Raise BenchmarkError unless every side's outcome equals the first (ours)."""
    sides = list(outcomes)
    ours = outcomes[sides[0]]
    for side in sides[1:]:
        if outcomes[side] != ours:
            raise BenchmarkError(
                f"{name}: {sides[0]} and {side} do not return the same result: "
                f"{_first_difference(ours, outcomes[side])}"
            )
    return f"{', '.join(sides)} return the same result"


def _first_difference(ours: object, other: object) -> str:
    if isinstance(ours, dict) and isinstance(other, dict):
        for key in ours.keys() | other.keys():
            if ours.get(key) != other.get(key):
                return f"[{key!r}]: {_first_difference(ours.get(key), other.get(key))}"
    if isinstance(ours, list | tuple | bytes) and isinstance(other, list | tuple | bytes):
        at = next(
            (i for i, (a, b) in enumerate(zip(ours, other, strict=False)) if a != b),
            min(len(ours), len(other)),
        )
        start = max(0, at - 40)
        return (
            f"at {at} (lengths {len(ours)} and {len(other)}): "
            f"{ours[start : at + 80]!r} != {other[start : at + 80]!r}"
        )
    return f"{ours!r:.300} != {other!r:.300}"
