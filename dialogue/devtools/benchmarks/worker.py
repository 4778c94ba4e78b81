"""A real Celery worker for the job benchmarks: started, watched and stopped by its PID.

The worker runs with the benchmark server's settings (`config.settings.bench`) on the
database and broker of the command that starts it, one task at a time (solo pool: the
task runs in the process whose memory is read). It is stopped by its PID, also when a
benchmark fails half-way (`with BenchWorker(...) as worker:`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from dialogue.devtools.benchmarks.registry import BenchmarkError

SETTINGS = "config.settings.bench"
START_TIMEOUT = 90  # seconds until "ready." in the worker's log


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class BenchWorker:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="bench-worker-", suffix=".log", delete=False
        )
        self.log_path = Path(self.log_file.name)

    def __enter__(self) -> BenchWorker:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else 0

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            # The file is written where this process reads it (the download view).
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }

    def start(self) -> BenchWorker:
        command = [
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
            "--without-heartbeat",
            "-l",
            "info",
        ]
        self.process = subprocess.Popen(  # noqa: S603 (fixed command, no shell)
            command,
            env=self.environment(),
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        log = self.log()[-3000:]
        self.stop()
        raise BenchmarkError(f"the Celery worker did not start:\n{log}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: the current task ends
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log_file.close()
        self.log_path.unlink(missing_ok=True)

    # -- memory (Linux /proc) -------------------------------------------------------
    def _status_kb(self, field: str) -> int:
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def rss_kb(self) -> int:
        return self._status_kb("VmRSS")

    def reset_peak(self) -> bool:
        """Reset the worker's VmHWM to its current resident set (Linux, same user)."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w", encoding="ascii") as refs:
                refs.write("5")
        except OSError:
            return False
        return True

    def peak_kb(self) -> int:
        return self._status_kb("VmHWM")
