"""The README's two commands: `make run` behaves like the product, `make test` sets up
what it needs on a fresh Debian machine. Also the test database's reference data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from dialogue.models import BestPractice, Sector, ThreatCategory

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args: str) -> str:
    """The commands `make` would run, from scratch (-B), without running them."""
    result = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "-n", "-B", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter, the embedded default: no broker, an empty database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL="sqlite://:memory:", **env
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- make run -------------------------------------------------------------------------


def test_make_run_serves_on_the_given_port_and_e_mail_links_follow_it():
    commands = make_dry_run("run", "PORT=8100")
    assert '--bind "127.0.0.1:8100"' in commands
    assert 'export SITE_URL="http://127.0.0.1:8100"' in commands
    assert "runserver" not in commands
    assert "collectstatic" in commands


def test_make_run_installs_only_what_the_app_needs_at_run_time():
    run = make_dry_run("run")
    assert "pip install --disable-pip-version-check -e .\n" in run
    assert "[dev]" not in run and "system-packages" not in run
    test = make_dry_run("test")
    assert "-e '.[dev]'" in test
    # The Debian packages first: a missing one stops make test before anything else.
    assert test.index("scripts/system-packages") < test.index("pip install")


def test_the_embedded_default_has_debug_off_and_shows_the_friendly_404():
    result = run_python(
        "import django; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "response = Client().get('/no-such-page/', HTTP_HOST='127.0.0.1')\n"
        "print(settings.DEBUG, response.status_code, 'error-page' in response.text,"
        " 'URLconf' in response.text)\n"
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "404", "True", "False", "True"]


def test_tasks_run_in_process_without_the_broker_warning():
    # given no broker: a task queued the way the services queue them (kombu used to warn
    # "No hostname was supplied" on every concern submission)
    result = run_python(
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "@app.task\n"
        "def double(x):\n"
        "    return 2 * x\n"
        "print(double.delay(21).get())\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"  # ran in-process
    assert "No hostname was supplied" not in result.stderr
    assert "WARNING" not in result.stderr


def test_the_server_says_once_at_start_that_tasks_run_in_process(settings):
    from config import gunicorn

    said = []

    class Log:
        def info(self, message, *args):
            said.append(message % args)

    class Server:
        log = Log()

    settings.CELERY_BROKER_URL = ""
    gunicorn.when_ready(Server())
    assert len(said) == 1 and "background tasks run in-process" in said[0]

    said.clear()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    gunicorn.when_ready(Server())
    assert said == []


# --- make test's set-up -----------------------------------------------------------------


def fake_commands(tmp_path: Path, *, uid: int, installed: set[str]) -> dict:
    """A PATH whose dpkg-query knows only `installed`, whose id says `uid`, and whose
    apt-get records what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "dpkg-query": 'for p in {installed}; do [ "${{@: -1}}" = "$p" ] && '
        "{{ printf 'ii '; exit 0; }}; done; exit 1".format(installed=" ".join(installed) or "''"),
        "id": f"echo {uid}",
        "apt-get": f'echo "apt-get $*" >> {tmp_path}/apt.log',
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/bash\n{body}\n")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}


def system_packages(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "system-packages")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_root_a_missing_package_stops_the_set_up_with_the_command_to_run(tmp_path):
    env = fake_commands(tmp_path, uid=1000, installed={"libpango-1.0-0", "libpangoft2-1.0-0"})
    result = system_packages(env)
    assert result.returncode == 1
    assert "chromium" in result.stderr and "fonts-ipaexfont-gothic" in result.stderr
    assert (
        "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends "
        "chromium fonts-ipaexfont-gothic libharfbuzz-subset0'" in result.stderr
    )
    assert not (tmp_path / "apt.log").exists()


def test_as_root_the_missing_packages_are_installed(tmp_path):
    env = fake_commands(tmp_path, uid=0, installed={"chromium", "libpango-1.0-0"})
    result = system_packages(env)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0] == "apt-get update -q"
    assert calls[1] == (
        "apt-get install -y -q --no-install-recommends "
        "fonts-ipaexfont-gothic libpangoft2-1.0-0 libharfbuzz-subset0"
    )


def test_with_everything_installed_the_set_up_does_nothing(tmp_path):
    packages = {
        "chromium",
        "fonts-ipaexfont-gothic",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
    }
    env = fake_commands(tmp_path, uid=1000, installed=packages)
    result = system_packages(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


# --- the test database ------------------------------------------------------------------


def reference_counts() -> tuple[int, int, int]:
    return Sector.objects.count(), ThreatCategory.objects.count(), BestPractice.objects.count()


@pytest.mark.django_db(transaction=True)
def test_the_reference_data_is_back_after_a_transactional_test_flushes_the_database():
    before = reference_counts()
    assert before == (15, 16, 17)
    # what a transactional test does when it ends (post_migrate reloads the data)
    call_command("flush", interactive=False, verbosity=0)
    assert reference_counts() == before


# --- test isolation -----------------------------------------------------------------------
# A pair, in this order on one worker: the first leaves what a request in English leaves
# behind, the second must not see it (they used to pass or fail by the order xdist chose).


@pytest.mark.django_db
def test_a_request_in_english_activates_english_in_the_test_thread(client):
    client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_the_default_language_again():
    assert translation.get_language() == "ja"
