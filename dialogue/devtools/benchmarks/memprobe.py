"""Peak memory of one export in a fresh process.

`python -m dialogue.devtools.benchmarks.memprobe NAME SIDE` sets Django up (the
DJANGO_SETTINGS_MODULE and DATABASE_URL of its environment), prepares the
export benchmark NAME as `manage.py benchmark` does (its `check()`), runs SIDE
once and prints one JSON line: the peak resident-set growth in MB and how it
was measured (see `exports.peak_growth`). The benchmark command starts it after
its runs; in a process that has already exported, the heap has grown, and an
export that reuses that memory would show none.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m dialogue.devtools.benchmarks.memprobe NAME SIDE", file=sys.stderr)
        return 2
    name, side = argv

    import django

    django.setup()

    from dialogue.devtools.benchmarks.exports import ExportBenchmark, peak_growth
    from dialogue.devtools.benchmarks.registry import RunOptions, benchmarks

    benchmark_class = benchmarks().get(name)
    if benchmark_class is None or not issubclass(benchmark_class, ExportBenchmark):
        print(f"{name!r} is not an export benchmark", file=sys.stderr)
        return 2
    if side not in benchmark_class.sides:
        print(f"{name} has no side {side!r} ({', '.join(benchmark_class.sides)})", file=sys.stderr)
        return 2
    # The command has already checked the data; here only the export is prepared.
    benchmark = benchmark_class(RunOptions(allow_small=True), say=lambda message: None)
    benchmark.check()
    print(json.dumps(peak_growth(getattr(benchmark, side))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
