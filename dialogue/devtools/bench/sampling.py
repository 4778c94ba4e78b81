"""Random draws for bench rows: Skewed (Zipf-like) and weighted choices."""

from __future__ import annotations

import bisect
import itertools
import random


class Skewed:
    """A Zipf-like draw over `items`: the first items are the most frequent."""

    def __init__(self, rng: random.Random, items: list, exponent: float = 1.0):
        self.rng = rng
        self.items = items
        self.cum_weights = list(
            itertools.accumulate(1 / (rank**exponent) for rank in range(1, len(items) + 1))
        )

    def __call__(self):
        x = self.rng.random() * self.cum_weights[-1]
        return self.items[bisect.bisect_right(self.cum_weights, x)]


def weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]
