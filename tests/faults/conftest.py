"""Fault drills: real processes (PostgreSQL, Redis, gunicorn, Celery) broken on purpose.

A drill starts its own copy of whatever it breaks: a private PostgreSQL cluster
on a free port, a private redis-server, a tmpfs mount. The shared PostgreSQL and
Redis other people use are never stopped. Every process, mount and folder a
drill starts is removed when it ends, also when it fails.

The drills need the real services and skip on the embedded default (SQLite,
in-process tasks), like tests/integration.
"""

from __future__ import annotations

import email
import errno
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from http.client import HTTPException
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings

# The real worker, its fixtures and the polling helper of the integration tests.
from tests.integration.conftest import (  # noqa: F401  (fixtures used by name)
    Worker,
    broker_mode,
    wait_for,
    worker_factory,
)

BASE_DIR = Path(settings.BASE_DIR)
ON_POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")
WITH_BROKER = bool(os.environ.get("CELERY_BROKER_URL"))

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="fault drill: needs PostgreSQL (DATABASE_URL); skipped on the embedded SQLite default",
)
needs_postgres_and_redis = pytest.mark.skipif(
    not (ON_POSTGRES and WITH_BROKER),
    reason="fault drill: needs PostgreSQL and Redis (DATABASE_URL and CELERY_BROKER_URL); "
    "skipped on the embedded default",
)


def wait_until(predicate, *, message: str, details=None, timeout: float = 60) -> None:
    """`wait_for`; on a timeout the failure also shows what the drill saw (`details()`)."""
    try:
        wait_for(predicate, timeout=timeout, message=message)
    except AssertionError as error:
        raise AssertionError(f"{error}\n{details() if details else ''}") from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    """Terminate a process this drill started (and its children: it leads its own group)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


# --- A private PostgreSQL cluster -----------------------------------------------------


def postgres_bindir() -> Path | None:
    """The newest server version installed by Debian's packages (/usr/lib/postgresql/<v>/bin)."""
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / "initdb").exists() and (p / "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class PrivatePostgres:
    """A throw-away cluster in a temporary folder: trust authentication, no fsync, a free port.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fault-drill-pg-"))
        self.data = self.dir / "data"
        self.server_log = self.dir / "server.log"
        self.ctl_log = self.dir / "pg_ctl.log"
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def _run(self, program: str, *args: str, timeout: float = 90) -> None:
        # Output to a file, never a pipe: the server inherits pg_ctl's output and outlives it.
        with self.ctl_log.open("a") as log:
            result = subprocess.run(  # noqa: S603  (our own binaries and arguments)
                [*self.as_owner, str(self.bindir / program), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.dir,
                timeout=timeout,
                check=False,
            )
        if result.returncode:
            raise RuntimeError(
                f"{program} {' '.join(args)} failed ({result.returncode}):\n"
                f"{tail(self.ctl_log)}\n{tail(self.server_log)}"
            )

    def initdb(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "-N"
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.dir} -c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.server_log), "-o", options, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every session is cut, the server is back when it returns."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.server_log),
            "-m",
            "fast",
            "-w",
            "restart",
        )

    def createdb(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name: str, **kwargs):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=name, **kwargs
        )

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip(
            "fault drill: PostgreSQL server binaries (initdb, pg_ctl) are not installed "
            "(apt-get install postgresql)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("fault drill: as root, initdb needs the `postgres` user to run as")
        if not shutil.which("runuser"):
            pytest.skip("fault drill: as root, initdb needs runuser to run as `postgres`")
    cluster = PrivatePostgres(bindir)
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


# --- A private Redis ------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port, in memory only; stop() and start() keep the port."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_for(self.ping, timeout=30, message=f"redis-server on port {self.port}")

    def stop(self) -> None:
        stop_process(self.process)
        wait_for(lambda: not self.ping(), timeout=10, message="redis-server to stop")


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("fault drill: redis-server is not installed (apt-get install redis-server)")
    redis = PrivateRedis(tmp_path / "redis.log")
    try:
        redis.start()
        yield redis
    finally:
        stop_process(redis.process)


# --- gunicorn -------------------------------------------------------------------------


class Gunicorn:
    """The app as it runs in production: gunicorn's sync workers, DEBUG off.

    The access log names the worker process of each request, so a drill can tell
    that every worker, not just one, recovered.
    """

    def __init__(self, log_dir: Path, env: dict, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = log_dir / "gunicorn-access.log"
        self.error_log = log_dir / "gunicorn-error.log"
        self.env = env
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        with self.error_log.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "30",
                    "--access-logfile",
                    str(self.access_log),
                    "--access-logformat",
                    "%(p)s %(m)s %(U)s %(s)s",
                    "--no-control-socket",
                ],
                env=self.env,
                cwd=BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

        def answering() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{tail(self.error_log)}")
            return http("GET", f"{self.url}/healthz", timeout=5).status == 200

        try:
            wait_for(answering, timeout=60, message="gunicorn to answer /healthz")
        except AssertionError as error:
            self.stop()
            raise AssertionError(f"{error}\n{tail(self.error_log)}") from None
        return self

    def stop(self) -> None:
        stop_process(self.process)

    def access_lines(self) -> list[tuple[str, str, str, int]]:
        """(worker pid, method, path, status) of every request so far."""
        lines = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            pid, method, path, status = line.split()
            lines.append((pid, method, path, int(status)))
        return lines


# --- HTTP without the test client: real sockets, a deadline on every request -------------


@dataclass
class Reply:
    method: str
    url: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    body: bytes = b""
    headers: Message | None = None
    error: str = ""
    tag: str = ""  # what the caller sent, e.g. the title of the record it creates
    started: float = 0.0
    seconds: float = 0.0

    def json(self):
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for header in (self.headers.get_all("Set-Cookie") or []) if self.headers else []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


def http(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict | None = None,
    json_body=None,
    timeout: float = 30,
    tag: str = "",
) -> Reply:
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    # Only http://127.0.0.1 URLs of the servers a drill started.
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect())
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            reply = Reply(method, url, response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        reply = Reply(method, url, error.code, error.read(), error.headers)
    except (OSError, HTTPException) as error:  # refused, reset, cut short, timed out
        reply = Reply(method, url, None, error=f"{type(error).__name__}: {error}")
    reply.tag = tag
    reply.started = started
    reply.seconds = time.monotonic() - started
    return reply


# --- E-mails written by a worker's file backend ------------------------------------------

MESSAGE_SEPARATOR = "\n" + "-" * 79 + "\n"


def sent_messages(mail_dir: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail in the folder; a file may hold several."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_text(errors="replace").split(MESSAGE_SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_string(raw.lstrip("\n"))
            subject = str(make_header(decode_header(message["Subject"] or "")))
            messages.append((message["To"], subject))
    return sorted(messages)


# --- A tiny file system that fills up ----------------------------------------------------


@pytest.fixture
def tiny_disk():
    """A 64 KiB tmpfs, unmounted at the end. Needs root (CI runs as root)."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if not (mount and umount):
        pytest.skip("fault drill: the mount and umount commands are missing")
    if os.geteuid() != 0:
        pytest.skip("fault drill: mounting a tmpfs needs root (CI runs as root)")
    mountpoint = Path(tempfile.mkdtemp(prefix="fault-drill-disk-"))
    result = subprocess.run(  # noqa: S603  (fixed arguments, a folder of our own)
        [mount, "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        mountpoint.rmdir()
        pytest.skip(f"fault drill: cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run([umount, str(mountpoint)], check=False).returncode:  # noqa: S603
            subprocess.run([umount, "-l", str(mountpoint)], check=False)  # noqa: S603
        shutil.rmtree(mountpoint, ignore_errors=True)


def fill(directory: Path) -> Path:
    """Write one file until the file system refuses (ENOSPC); returns it."""
    filler = directory / "filler.bin"
    with filler.open("wb", buffering=0) as fh:
        while True:
            try:
                fh.write(b"\0" * 4096)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                return filler
