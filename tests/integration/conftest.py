"""A real Celery worker process on the local Redis, sharing the test database.

These tests need PostgreSQL (the worker must see committed rows in the test
database) and a broker; on the embedded default (SQLite, no broker) they skip.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app


def services_available() -> bool:
    return bool(settings.CELERY_BROKER_URL) and connection.vendor == "postgresql"


requires_services = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL and Redis (DATABASE_URL and CELERY_BROKER_URL); .ci/run provides both",
)


class Worker:
    def __init__(self, mail_dir: Path, log_path: Path, extra_env: dict):
        self.mail_dir = mail_dir
        self.log_path = log_path
        self.extra_env = extra_env
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "TEST_EMAIL_FILE_PATH": str(self.mail_dir),
            "CELERY_VISIBILITY_TIMEOUT": "4",
            **self.extra_env,
        }

    def start(self) -> "Worker":
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text(errors="replace"):
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(
            "worker did not start:\n" + self.log_path.read_text(errors="replace")[-3000:]
        )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if hasattr(self, "log"):
            self.log.close()

    def emails(self) -> list[str]:
        return [p.read_text(errors="replace") for p in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def broker_mode():
    """Publish tasks to the real broker (the unit tests run them in-process)."""
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": 4,
    }
    # Start from an empty queue so a leftover message cannot run in this test.
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def worker_factory(tmp_path, broker_mode):
    workers: list[Worker] = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start(**extra_env) -> Worker:
        worker = Worker(mail_dir, tmp_path / f"worker-{len(workers)}.log", extra_env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")
