"""`manage.py benchmark [NAME …] [--runs N] [--write-docs [FILE]] [--json FILE] …`.

Runs named benchmarks (all of them without a NAME) against the database in
DATABASE_URL, which must already hold the bench data (`generate_bench_data
--scale 1`). Each benchmark runs `--runs` times (3 by default) and every figure
and ratio reported for it is the median over the runs. Benchmarks that measure
HTTP endpoints share one gunicorn server started on 127.0.0.1 with
`config.settings.bench`; it is stopped by its PID at the end, also on errors
and Ctrl-C. `--write-docs` rewrites the generated summary at the top of
docs/benchmarks.md (between its markers) with the table, the machine and the
date. The command exits with an error when a goal is missed or a benchmark
could not run, after writing the summary. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from dialogue.devtools.benchmarks import report
from dialogue.devtools.benchmarks.loadgen import LoadError
from dialogue.devtools.benchmarks.registry import (
    Benchmark,
    BenchmarkError,
    Result,
    RunOptions,
    benchmarks,
    median_of_runs,
)
from dialogue.devtools.benchmarks.server import BenchServer, ServerError, ServerOptions
from dialogue.models import Concern, FollowUpAction, Threat

DOCS = Path("docs") / "benchmarks.md"


class Command(BaseCommand):
    help = (
        "Run named benchmarks (all without a NAME) against a database with bench data "
        "(`generate_bench_data --scale 1`, PostgreSQL), each --runs times, and report the "
        "medians of their figures and ratios, their goals and PASS/FAIL."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="Benchmarks to run.")
        parser.add_argument("--list", action="store_true", help="List the benchmarks and exit.")
        defaults = RunOptions()
        parser.add_argument(
            "--runs",
            type=int,
            default=defaults.runs,
            help=(
                f"Runs of each benchmark; every figure and ratio reported is the median over "
                f"the runs (default {defaults.runs})."
            ),
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=None,
            help=(
                "Rounds per run, alternating which side goes first (default: each benchmark's "
                "own, see --list)."
            ),
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=defaults.requests,
            help=f"HTTP benchmarks: requests per endpoint and round (default {defaults.requests}).",
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
            help=f"Warm-up requests per endpoint and run (default {defaults.warmup}).",
        )
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=defaults.max_seconds,
            help=f"Time limit per endpoint and round (default {defaults.max_seconds:g} s).",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument(
            "--json", metavar="FILE", help="Also write the results as JSON to FILE."
        )
        parser.add_argument(
            "--write-docs",
            nargs="?",
            const=str(DOCS),
            default=None,
            metavar="FILE",
            help=(
                f"Rewrite the generated summary between the markers of FILE (default {DOCS}) "
                "with the results, the machine and the date. Only when every benchmark runs."
            ),
        )
        parser.add_argument(
            "--no-analyze",
            dest="analyze",
            action="store_false",
            help=(
                "Do not run VACUUM (ANALYZE) (visibility map and planner statistics) "
                "before measuring."
            ),
        )
        parser.add_argument(
            "--allow-small",
            action="store_true",
            help="Measure even when the database holds less than the bench data set.",
        )

    def handle(self, *args, names, **options):
        started = time.monotonic()
        registry = benchmarks()
        if options["list"]:
            for name, benchmark in registry.items():
                rounds = f"{benchmark.default_rounds} round{'s' * (benchmark.default_rounds > 1)}"
                self.stdout.write(f"{name:<20} {benchmark.description} [{rounds} per run]")
            return
        unknown = [name for name in names if name not in registry]
        if unknown:
            raise CommandError(
                f"Unknown benchmark {', '.join(unknown)}; known: {', '.join(registry)}."
            )
        for option in ("runs", "requests", "concurrency", "workers"):
            if options[option] < 1:
                raise CommandError(f"--{option} must be at least 1.")
        if options["rounds"] is not None and options["rounds"] < 1:
            raise CommandError("--rounds must be at least 1.")
        if not 1 <= options["concurrency"] <= 16:
            raise CommandError("--concurrency must be between 1 and 16.")
        run_options = RunOptions(
            requests=options["requests"],
            rounds=options["rounds"],
            runs=options["runs"],
            concurrency=options["concurrency"],
            warmup=max(0, options["warmup"]),
            max_seconds=options["max_seconds"],
            allow_small=options["allow_small"],
        )
        selected = [registry[name](run_options, say=self._say) for name in names or registry]
        docs = self._docs_path(options["write_docs"], selected, registry)

        # Refuse before anything is started.
        try:
            for benchmark in selected:
                benchmark.check()
        except BenchmarkError as exc:
            raise CommandError(str(exc)) from exc
        self._check_broker()
        if connection.vendor != "postgresql":
            self.stderr.write(
                self.style.WARNING(
                    f"The database is {connection.vendor}, not PostgreSQL: the goals are set "
                    "for PostgreSQL (set DATABASE_URL)."
                )
            )
        elif options["analyze"]:
            # Bulk-loaded tables have no planner statistics and no visibility map until
            # autovacuum has run (it is off on the bench machines); production would have
            # both, and without the map every index-only scan (the covering indexes of the
            # dashboard and the lists) reads the table too. Quick once done: VACUUM skips
            # pages already all-visible.
            self._say("Updating the visibility map and planner statistics (VACUUM (ANALYZE)) …")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")

        load_before = _load_average()
        runs = run_options.runs
        self._say(
            f"Each benchmark runs {runs} time{'s' * (runs > 1)}; the figures and ratios under "
            f"'median of {runs} run{'s' * (runs > 1)}' are the medians over the runs (a ratio: "
            "each run's own ratio, then the median)."
        )
        server = None
        server_error = ""
        server_stopped = False
        results: list[Result] = []
        try:
            if any(benchmark.needs_server for benchmark in selected):
                server = BenchServer(ServerOptions(workers=options["workers"]))
                self._say(f"Starting {server.description} …")
                try:
                    server.start()
                except ServerError as exc:
                    server_error = f"the benchmark server did not start: {exc}"
                    self.stderr.write(self.style.ERROR(server_error))
                else:
                    self._say(f"Server ready on port {server.port}.")
            last_http = max(
                (index for index, benchmark in enumerate(selected) if benchmark.needs_server),
                default=-1,
            )
            for index, benchmark in enumerate(selected):
                results.append(self._measure(benchmark, server, server_error))
                if index == last_http and server is not None:
                    server.stop()  # idle from here on: not beside the in-process benchmarks
                    server_stopped = True
                    self._say("Server stopped.")
        finally:
            if server is not None and not server_stopped:
                server.stop()
                self._say("Server stopped.")

        self._say("")
        self._say(f"Summary (medians of {runs} run{'s' * (runs > 1)}):")
        for result in results:
            self._summary_line(result)
        if options["json"]:
            self._write_json(Path(options["json"]), results, run_options, server)
        if docs is not None:
            section = self._section(
                results, selected, run_options, server, load_before, time.monotonic() - started
            )
            report.write_section(docs, section)
            self._say(f"Summary written to {docs} (between its bench markers).")

        failed = [result.name for result in results if result.error]
        missed = [result.name for result in results if not result.error and not result.met]
        problems = []
        if missed:
            problems.append(f"Goal missed: {', '.join(missed)}.")
        if failed:
            problems.append(f"Could not run: {', '.join(failed)}.")
        if problems:
            raise CommandError(" ".join(problems))

    # -- measuring ------------------------------------------------------------
    def _measure(self, benchmark: Benchmark, server, server_error: str) -> Result:
        """Run one benchmark --runs times; the median of the runs, or the error that stopped it."""
        runs = benchmark.options.runs
        self._say("")
        self._say(f"{benchmark.name}: {benchmark.description}")
        if benchmark.needs_server and (server is None or server_error):
            return self._failed(benchmark, server_error or "no benchmark server")
        results: list[Result] = []
        side_server = server if benchmark.needs_server else None
        try:
            # Same result first: a ratio of two sides that compute different things is
            # not measured at all.
            benchmark.verify(side_server)
            for number in range(runs):
                rounds = benchmark.rounds
                self._say(f" run {number + 1}/{runs} ({rounds} round{'s' * (rounds > 1)})")
                benchmark.run_index = number  # odd runs start with the other side
                result = benchmark.run(side_server)
                results.append(result)
                self._report(result)
            combined = benchmark.finish(median_of_runs(results))
            combined.notes["same_result"] = benchmark.same_result
        except (BenchmarkError, LoadError) as exc:
            message = str(exc)
            if benchmark.needs_server and server is not None:
                log = server.log_tail(3000).strip()
                if log:
                    message = f"{message}\n{log}"
            return self._failed(benchmark, message)
        combined.label = combined.label or benchmark.label
        self._say(f" median of {runs} run{'s' * (runs > 1)}:")
        self._report(combined)
        return combined

    def _failed(self, benchmark: Benchmark, message: str) -> Result:
        self.stderr.write(self.style.ERROR(f"{benchmark.name} could not run: {message}"))
        return Result(name=benchmark.name, description=benchmark.description, error=message)

    # -- preparing --------------------------------------------------------------
    def _docs_path(self, value, selected, registry) -> Path | None:
        if value is None:
            return None
        if len(selected) != len(registry):
            self.stderr.write(
                self.style.WARNING(
                    "Not writing the benchmark summary: it records every benchmark, and only "
                    f"{', '.join(benchmark.name for benchmark in selected)} will run."
                )
            )
            return None
        path = Path(value)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        try:
            report.check_document(path)
        except report.DocsError as exc:
            raise CommandError(f"--write-docs: {value}: {exc}") from exc
        return path

    def _check_broker(self) -> None:
        """With a broker configured (as `make bench` does), it must answer."""
        if not settings.CELERY_BROKER_URL:
            return
        from dialogue.selectors.health import broker_status

        status = broker_status()
        if not status["ok"]:
            raise CommandError(
                f"The Celery broker in CELERY_BROKER_URL does not answer ({status.get('error')}); "
                "start Redis, or unset CELERY_BROKER_URL to run tasks in-process."
            )

    # -- reporting ---------------------------------------------------------------
    def _report(self, result: Result) -> None:
        """A table: one row per side, one column per figure (units in the figure names)."""
        columns: list[str] = []
        for figures in result.figures.values():
            columns += [name for name in figures if name not in columns]
        self._say("  " + f"{'':<16}" + "".join(f"{name:>12}" for name in columns))
        for side, figures in result.figures.items():
            cells = "".join(f"{_number(figures.get(name)):>12}" for name in columns)
            self._say(f"  {side:<16}{cells}")
        per_run = result.notes.get("goal_values_per_run", {}) if result.runs > 1 else {}
        for goal in result.goals:
            runs = per_run.get(goal.name)
            detail = f" (runs: {', '.join(f'{v:.2f}' for v in runs)})" if runs else ""
            if not goal.judged:
                self._say(f"  {goal.name} = {goal.value:.2f}{detail} (reported, no goal)")
                continue
            verdict = self.style.SUCCESS("PASS") if goal.met else self.style.ERROR("FAIL")
            limit = f"{goal.limit:g}{' ' + goal.unit if goal.unit else ''}"
            self._say(
                f"  {goal.name} = {goal.value:.2f}{detail} (goal {goal.op} {limit}) {verdict}"
            )

    def _summary_line(self, result: Result) -> None:
        if result.error:
            self._say(f"  {result.name:<20} {self.style.ERROR('ERROR')} (could not run)")
            return
        goals = ", ".join(
            f"{goal.name} {goal.value:.2f}" + (f" {goal.op} {goal.limit:g}" if goal.judged else "")
            for goal in result.goals
        )
        verdict = self.style.SUCCESS("PASS") if result.met else self.style.ERROR("FAIL")
        self._say(f"  {result.name:<20} {verdict}  {goals}")

    def _section(self, results, selected, run_options, server, load_before, elapsed) -> str:
        judged = [goal for result in results for goal in result.goals if goal.judged]
        met = sum(goal.met for goal in judged)
        errors = sum(1 for result in results if result.error)
        runs = run_options.runs
        now = timezone.localtime()
        header = [
            "<!-- Written by `manage.py benchmark --write-docs` (`make bench`); "
            "edit outside the markers. -->",
            "",
            f"**{now:%Y-%m-%d %H:%M} {now.tzname()}**: {met} of {len(judged)} goals met"
            + (f", {errors} benchmark{'s' * (errors > 1)} could not run" if errors else "")
            + f". Medians of {runs} run{'s' * (runs > 1)} per benchmark; a ratio is the median "
            "of the runs' own ratios, their range in brackets.",
        ]
        rounds = "; ".join(
            f"{benchmark.name} {benchmark.rounds}"
            + (
                f" × {run_options.requests} requests per side after {run_options.warmup} "
                f"warm-up requests, concurrency {run_options.concurrency}"
                if benchmark.needs_server
                else ""
            )
            for benchmark in selected
        )
        load_after = _load_average()
        footer = [
            *report.machine().lines(),
            f"Data: {Threat.objects.count():,} threats, {Concern.objects.count():,} concerns, "
            f"{FollowUpAction.objects.count():,} follow-up actions.",
            f"Rounds per run, the sides alternating: {rounds}.",
            "The side that starts the first round alternates across runs; tables a "
            "benchmark writes (in transactions rolled back) are vacuumed and analyzed between "
            "rounds.",
        ]
        checked = [
            f"{result.name}: {result.notes['same_result']}"
            for result in results
            if not result.error and result.notes.get("same_result")
        ]
        if checked:
            footer.append(
                "Same result, checked once before timing (a benchmark whose sides differ is "
                "not measured): " + "; ".join(checked) + "."
            )
        if server is not None:
            footer.append(f"HTTP server: {server.description}.")
        footer += [
            "Exports' memory: peak resident-set growth during one export in a fresh process.",
            f"Load average (1 min): {load_before:.1f} before, {load_after:.1f} after; "
            f"the whole command took {elapsed / 60:.0f} min.",
        ]
        return report.render(results, header=header, footer=footer)

    def _write_json(self, path: Path, results, run_options: RunOptions, server) -> None:
        document = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": report.database_version(),
            "cpu_count": os.cpu_count(),
            "machine": report.machine().__dict__,
            "server": server.description if server else None,
            "options": {
                "runs": run_options.runs,
                "rounds": run_options.rounds,
                "requests": run_options.requests,
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


def _load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
