"""A small closed-loop HTTP load generator for loopback benchmarks.

`concurrency` threads each keep one HTTP/1.1 connection open (keep-alive) and
send GET (or POST) requests one after the other until `requests` have been sent in total
or `max_seconds` have passed. Every request's latency is recorded. Only
127.0.0.1 / localhost are accepted as targets.
"""

from __future__ import annotations

import http.client
import math
import statistics
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class LoadError(RuntimeError):
    """A request failed, or the target is not on the loopback interface."""


@dataclass
class Sample:
    """One run of the load generator against one URL."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per OK request
    errors: int = 0
    elapsed: float = 0.0  # wall-clock seconds from the first request to the last answer
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    if not values:
        raise ValueError("percentile of an empty list")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def fetch(host: str, port: int, path: str, headers: dict, timeout: float = 30.0):
    """One GET on a fresh connection: (status, body bytes)."""
    _require_loopback(host)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    headers: dict,
    requests: int,
    concurrency: int,
    max_seconds: float,
    timeout: float = 30.0,
    body: Callable[[], tuple[bytes, dict]] | None = None,
    ok: Collection[int] = (200,),
) -> Sample:
    """Send `requests` GETs to `path` from `concurrency` keep-alive connections.

    With `body`, POSTs instead: each request sends the bytes and extra headers that a
    call of `body()` returns (a fresh form per request). A status outside `ok` is an error.
    """
    _require_loopback(host)
    if requests < 1 or concurrency < 1:
        raise ValueError("requests and concurrency must be at least 1")
    sample = Sample()
    lock = threading.Lock()
    remaining = [requests]
    start_barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def take_ticket() -> bool:
        with lock:
            if remaining[0] <= 0 or time.perf_counter() > deadline[0]:
                return False
            remaining[0] -= 1
            return True

    def worker() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        local: list[float] = []
        errors = 0
        first_error = ""
        try:
            try:
                connection.connect()
            except OSError as exc:
                errors += 1
                first_error = f"{type(exc).__name__}: {exc}"
                start_barrier.abort()
                return
            start_barrier.wait()
            while take_ticket():
                method, content, sent = "GET", None, headers
                if body is not None:
                    content, extra = body()
                    method, sent = "POST", {**headers, **extra}
                started = time.perf_counter()
                try:
                    connection.request(method, path, body=content, headers=sent)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    errors += 1
                    first_error = first_error or f"{type(exc).__name__}: {exc}"
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=timeout)
                    continue
                if status in ok:
                    local.append(time.perf_counter() - started)
                else:
                    errors += 1
                    first_error = first_error or f"HTTP {status}"
        except threading.BrokenBarrierError:
            pass
        finally:
            connection.close()
            with lock:
                sample.latencies.extend(local)
                sample.errors += errors
                sample.first_error = sample.first_error or first_error

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + max_seconds
    try:
        start_barrier.wait(timeout=timeout)
    except threading.BrokenBarrierError as exc:
        start_barrier.abort()
        for thread in threads:
            thread.join(timeout)
        raise LoadError(
            f"Could not connect to the benchmark server: {sample.first_error or 'timed out'}"
        ) from exc
    started = time.perf_counter()
    deadline[0] = started + max_seconds
    for thread in threads:
        thread.join(max_seconds + timeout)
    sample.elapsed = time.perf_counter() - started
    return sample


def _require_loopback(host: str) -> None:
    if host not in LOOPBACK_HOSTS:
        raise LoadError(f"Load tests target the loopback interface only, not {host!r}.")


def load_path(
    host: str,
    port: int,
    path: str,
    *,
    headers: dict,
    requests: int,
    concurrency: int,
    max_seconds: float,
    **options,
) -> Sample:
    """`run_load`, failing (LoadError) when any request failed or none completed."""
    sample = run_load(
        host,
        port,
        path,
        headers=headers,
        requests=requests,
        concurrency=concurrency,
        max_seconds=max_seconds,
        **options,
    )
    if sample.errors:
        raise LoadError(
            f"{sample.errors} of the requests to {path} failed (first: {sample.first_error})"
        )
    if sample.requests == 0:
        raise LoadError(f"no request to {path} completed in {max_seconds} s")
    return sample


def summarize(samples: list[Sample]) -> dict[str, float]:
    """Requests/s: median over rounds; latency percentiles over every request of every round."""
    latencies = [latency for sample in samples for latency in sample.latencies]
    return {
        "rps": median([sample.rps for sample in samples]),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "requests": len(latencies),
    }
