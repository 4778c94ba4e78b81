"""Bulk benchmark data for `manage.py generate_bench_data`: BenchGenerator and its error."""

from dialogue.devtools.bench.base import BenchDataError
from dialogue.devtools.bench.generator import (
    SCALE_1,
    BenchGenerator,
    missing_bench_data,
    require_reference_data,
)

__all__ = [
    "SCALE_1",
    "BenchDataError",
    "BenchGenerator",
    "missing_bench_data",
    "require_reference_data",
]
