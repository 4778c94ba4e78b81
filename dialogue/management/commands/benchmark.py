"""`manage.py benchmark [NAME …] [--requests N] [--concurrency C] [--json FILE]`.

Runs named benchmarks (all of them without a NAME) against the database in
DATABASE_URL, which must already hold the bench data (`generate_bench_data
--scale 1`). Benchmarks that measure HTTP endpoints share one gunicorn server
started on 127.0.0.1 with `config.settings.bench`; it is stopped by its PID at
the end, also on errors and Ctrl-C. Each benchmark reports its figures, the
ratios it is judged on, its goals and whether they are met. The command exits
with an error when a goal is missed. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from dialogue.benchmarks.registry import BenchmarkError, Result, RunOptions, benchmarks
from dialogue.benchmarks.server import BenchServer, ServerError, ServerOptions


class Command(BaseCommand):
    help = (
        "Run named benchmarks (all without a NAME) against a database with bench data "
        "(`generate_bench_data --scale 1`, PostgreSQL) and report figures, ratios and goals."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="Benchmarks to run.")
        parser.add_argument("--list", action="store_true", help="List the benchmarks and exit.")
        defaults = RunOptions()
        parser.add_argument(
            "--requests",
            type=int,
            default=defaults.requests,
            help=f"Requests per endpoint and round (default {defaults.requests}).",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=defaults.rounds,
            help=f"Rounds, alternating which endpoint goes first (default {defaults.rounds}).",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=defaults.concurrency,
            help=f"Keep-alive connections sending at once (default {defaults.concurrency}).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=defaults.warmup,
            help=f"Warm-up requests per endpoint (default {defaults.warmup}).",
        )
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=defaults.max_seconds,
            help=f"Time limit per endpoint and round (default {defaults.max_seconds:g} s).",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument(
            "--gc-freeze",
            action="store_true",
            help="Experiment: each gunicorn worker runs gc.freeze() once the app is loaded.",
        )
        parser.add_argument(
            "--json", metavar="FILE", help="Also write the results as JSON to FILE."
        )
        parser.add_argument(
            "--no-analyze",
            dest="analyze",
            action="store_false",
            help="Do not run ANALYZE (PostgreSQL planner statistics) before measuring.",
        )
        parser.add_argument(
            "--allow-small",
            action="store_true",
            help="Measure even when the database holds less than the bench data set.",
        )

    def handle(self, *args, names, **options):
        registry = benchmarks()
        if options["list"]:
            for name, benchmark in registry.items():
                self.stdout.write(f"{name:<20} {benchmark.description}")
            return
        unknown = [name for name in names if name not in registry]
        if unknown:
            raise CommandError(
                f"Unknown benchmark {', '.join(unknown)}; known: {', '.join(registry)}."
            )
        for option in ("requests", "rounds", "concurrency", "workers"):
            if options[option] < 1:
                raise CommandError(f"--{option} must be at least 1.")
        if not 1 <= options["concurrency"] <= 16:
            raise CommandError("--concurrency must be between 1 and 16.")
        run_options = RunOptions(
            requests=options["requests"],
            rounds=options["rounds"],
            concurrency=options["concurrency"],
            warmup=max(0, options["warmup"]),
            max_seconds=options["max_seconds"],
            allow_small=options["allow_small"],
        )
        selected = [registry[name](run_options, say=self._say) for name in names or registry]

        # Refuse before anything is started.
        try:
            for benchmark in selected:
                benchmark.check()
        except BenchmarkError as exc:
            raise CommandError(str(exc)) from exc
        if connection.vendor != "postgresql":
            self.stderr.write(
                self.style.WARNING(
                    f"The database is {connection.vendor}, not PostgreSQL: the goals are set "
                    "for PostgreSQL (set DATABASE_URL)."
                )
            )
        elif options["analyze"]:
            # Bulk-loaded tables have no planner statistics until (auto)analyze has run;
            # production would have them, so the benchmark measures with them.
            self._say("Updating planner statistics (ANALYZE) …")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        server = None
        results: list[Result] = []
        try:
            if any(benchmark.needs_server for benchmark in selected):
                server = BenchServer(
                    ServerOptions(workers=options["workers"], gc_freeze=options["gc_freeze"])
                )
                self._say(f"Starting {server.description} …")
                server.start()
                self._say(f"Server ready on port {server.port}.")
            for benchmark in selected:
                self._say(f"{benchmark.name}: {benchmark.description}")
                result = benchmark.run(server if benchmark.needs_server else None)
                results.append(result)
                self._report(result)
        except BenchmarkError as exc:
            log = server.log_tail(3000).strip() if server is not None else ""
            raise CommandError(f"{exc}\n{log}" if log else str(exc)) from exc
        except ServerError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if server is not None:
                server.stop()
                self._say("Server stopped.")

        if options["json"]:
            self._write_json(Path(options["json"]), results, run_options, server)
        missed = [result.name for result in results if not result.met]
        if missed:
            raise CommandError(f"Goal missed: {', '.join(missed)}.")

    def _report(self, result: Result) -> None:
        """A table: one row per side, one column per figure (units in the figure names)."""
        columns: list[str] = []
        for figures in result.figures.values():
            columns += [name for name in figures if name not in columns]
        self._say("  " + f"{'':<12}" + "".join(f"{name:>12}" for name in columns))
        for side, figures in result.figures.items():
            cells = "".join(f"{_number(figures.get(name)):>12}" for name in columns)
            self._say(f"  {side:<12}{cells}")
        for goal in result.goals:
            verdict = self.style.SUCCESS("PASS") if goal.met else self.style.ERROR("FAIL")
            self._say(f"  {goal.name} = {goal.value:.2f} (goal {goal.op} {goal.limit:g}) {verdict}")

    def _write_json(self, path: Path, results, run_options: RunOptions, server) -> None:
        document = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "server": server.description if server else None,
            "options": {
                "requests": run_options.requests,
                "rounds": run_options.rounds,
                "concurrency": run_options.concurrency,
                "warmup": run_options.warmup,
            },
            "results": [result.as_dict() for result in results],
        }
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        self._say(f"Results written to {path}.")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}"
