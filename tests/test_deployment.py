"""The deployment files agree with the code: docker-compose.yml runs the right
processes with health checks, every setting read from the environment is
documented in .env.example and README.md, and production installs no developer
tools. No database needed."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.settings import base as base_settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "config" / "settings"

# env("X"), env.bool("X", ...), env.int / env.list / env.db / env.email_url ...
ENV_READ = re.compile(r"\benv(?:\.[a-z_]+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _services() -> dict:
    return _compose()["services"]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _healthcheck_test(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def _environment(service: dict) -> dict:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return environment


def _settings_variables() -> set[str]:
    names = set()
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_compose_defines_the_five_services():
    assert {"web", "worker", "beat", "db", "redis"} <= set(_services())


def test_web_migrates_then_runs_gunicorn():
    command = _command(_services()["web"])

    assert "gunicorn config.wsgi" in command
    assert "migrate" in command and "load_reference_data" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert command.index("load_reference_data") < command.index("gunicorn")


def test_worker_runs_celery_worker():
    assert "celery -A config worker" in _command(_services()["worker"])


def test_beat_runs_celery_beat_with_the_database_scheduler():
    beat = _services()["beat"]
    command = _command(beat)

    assert "celery -A config beat" in command
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command
    # Exactly one beat: never scaled.
    assert beat.get("scale", 1) == 1
    assert beat.get("deploy", {}).get("replicas", 1) == 1


@pytest.mark.parametrize(
    ("service", "probe"),
    [("db", "pg_isready"), ("redis", "ping"), ("web", "/healthz")],
)
def test_health_checks(service, probe):
    assert probe in _healthcheck_test(_services()[service])


def test_depends_on_waits_for_healthy_services():
    services = _services()
    assert {"db", "redis"} <= set(services["web"]["depends_on"])
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on must name conditions"
        for target, options in depends_on.items():
            assert options == {"condition": "service_healthy"}, f"{name} -> {target}"
            assert "healthcheck" in services[target], f"{name} waits for {target}"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_use_production_settings_and_the_services(name):
    service = _services()[name]
    environment = _environment(service)

    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    env_file = service["env_file"]
    assert ".env" in ([env_file] if isinstance(env_file, str) else env_file)


def test_compose_keeps_database_and_uploads_in_volumes():
    compose = _compose()
    services = compose["services"]
    media_root = _environment(services["web"])["DJANGO_MEDIA_ROOT"]

    assert {"postgres-data", "uploads"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert f"uploads:{media_root}" in services["web"]["volumes"]


def test_dockerfile_runs_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_settings_variables_are_found():
    # Guards the regex: if it stopped matching, the documentation test would pass vacuously.
    names = _settings_variables()

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "CELERY_BROKER_URL"} <= names
    assert {"DJANGO_ALLOWED_HOSTS", "DJANGO_SECURE_HSTS_SECONDS"} <= names


def test_every_setting_variable_is_documented():
    names = _settings_variables()
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    missing_in_example = sorted(
        name for name in names if not re.search(rf"^#?\s*{name}=", env_example, re.MULTILINE)
    )
    missing_in_readme = sorted(name for name in names if f"`{name}`" not in readme)

    assert not missing_in_example, f"not in .env.example: {missing_in_example}"
    assert not missing_in_readme, f"not in README.md: {missing_in_readme}"


# --- developer tools stay out of production ------------------------------------------------

DEVTOOLS = "dialogue.devtools"
DEVELOPER_COMMANDS = {"seed_demo", "generate_bench_data", "benchmark", "ensure_database"}

# Sets Django up, loads every URL pattern (and so every view module), then reports the
# installed apps, the management commands and which developer-tool modules got imported.
INSPECT = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import get_commands
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "commands": sorted(get_commands()),
    "devtools_modules": sorted(m for m in sys.modules if m.startswith("dialogue.devtools")),
}))
"""


def _inspect(settings_module: str, tmp_path: Path) -> dict:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PYTEST_")) and name != "DATABASE_URL"
    }
    # What production requires (see .ci/run's production smoke); never connected to here.
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", INSPECT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_installs_no_developer_tools(tmp_path):
    production = _inspect("config.settings.production", tmp_path)

    assert DEVTOOLS not in production["apps"]
    assert not DEVELOPER_COMMANDS & set(production["commands"])
    assert {"migrate", "load_reference_data", "add_official"} <= set(production["commands"])
    # Nothing production loads, URL patterns and views included, imports the tooling.
    assert production["devtools_modules"] == []


@pytest.mark.parametrize(
    "settings_module", ["config.settings.local", "config.settings.test", "config.settings.bench"]
)
def test_make_run_the_tests_and_the_bench_server_have_the_developer_tools(
    settings_module, tmp_path
):
    # The counterpart of the test above: the same probe finds them where they belong.
    inspected = _inspect(settings_module, tmp_path)

    assert DEVTOOLS in inspected["apps"]
    assert set(inspected["commands"]) >= DEVELOPER_COMMANDS


def test_the_base_settings_do_not_list_the_developer_tools():
    # The image collects its static files with the base settings (Dockerfile).
    assert DEVTOOLS not in base_settings.INSTALLED_APPS


IMPORTS_DEVTOOLS = re.compile(
    r"^\s*(?:from|import)\s+dialogue\.devtools\b|^\s*from\s+dialogue\s+import\s+.*\bdevtools\b",
    re.MULTILINE,
)


def test_no_app_module_imports_the_developer_tools():
    app = ROOT / "dialogue"
    importing = sorted(
        str(path.relative_to(ROOT))
        for path in app.rglob("*.py")
        if path.relative_to(app).parts[0] != "devtools"
        and IMPORTS_DEVTOOLS.search(path.read_text(encoding="utf-8"))
    )

    assert importing == []
