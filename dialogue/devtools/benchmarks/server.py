"""Start and stop the benchmark server: gunicorn on 127.0.0.1, a free port, bench settings."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from django.conf import settings

from dialogue.devtools.benchmarks.loadgen import fetch

HOST = "127.0.0.1"
SETTINGS_MODULE = "config.settings.bench"
# Production's gunicorn settings (config/gunicorn.py), so that the benchmark measures them.
GUNICORN_CONFIG = "python:config.gunicorn"


class ServerError(RuntimeError):
    """The benchmark server did not start or did not become healthy."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class ServerOptions:
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    startup_seconds: float = 60.0


class BenchServer:
    """gunicorn serving `config.wsgi` with the bench settings; stopped by its PID.

    The child gets the current environment (so the same DATABASE_URL) with
    DJANGO_SETTINGS_MODULE replaced, and runs in a session of its own so that
    Ctrl-C reaches only this process, which then stops the server.
    """

    def __init__(self, options: ServerOptions | None = None):
        self.options = options or ServerOptions()
        self.host = HOST
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def description(self) -> str:
        o = self.options
        threads = f", {o.threads} threads" if o.threads > 1 else ""
        return (
            f"gunicorn, {o.workers} {o.worker_class} workers{threads}, config/gunicorn.py, {HOST}"
        )

    def start(self) -> None:
        self.port = free_port()
        environment = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS_MODULE)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--config",
            GUNICORN_CONFIG,
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.options.workers),
            "--worker-class",
            self.options.worker_class,
            "--threads",
            str(self.options.threads),
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603 (fixed command, no shell)
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.options.startup_seconds
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with status {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                status, body = fetch(self.host, self.port, "/healthz", {}, timeout=5)
            except OSError as exc:
                last = f"{type(exc).__name__}"
            else:
                if status == 200:
                    health = json.loads(body)
                    if health.get("database", {}).get("ok"):
                        return
                last = f"HTTP {status}: {body[:200]!r}"
            time.sleep(0.2)
        raise ServerError(f"/healthz did not answer 200 in time ({last}):\n{self.log_tail()}")

    def log_tail(self, limit: int = 4000) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-limit:]

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the gunicorn master (it stops its workers), SIGKILL if it hangs."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                # The workers share the master's process group (its own session).
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> BenchServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
