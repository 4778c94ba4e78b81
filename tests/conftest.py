import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.utils import translation

from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    Dependency,
    ForeignMeasure,
    Sector,
    ThreatCategory,
)
from dialogue.services.reference_data import reference_data_load
from tests.support.worlds import rolled_back
from tests.support.worlds.access import build_sweep_world


def _load_reference_data(sender, **kwargs) -> None:
    reference_data_load()


# The reference data is part of every test database, committed once: loading it with
# validation and history for each test made up much of the suite's time. Django sends
# post_migrate when it creates the test database (once per session, or per xdist
# worker) and again after a transactional test (live_server, real workers) has flushed
# every table, so the data is back before the next test. Tests that use `db` roll
# back to it.
post_migrate.connect(
    _load_reference_data,
    sender=apps.get_app_config("dialogue"),
    dispatch_uid="tests.reference_data",
)


@pytest.fixture(autouse=True)
def _no_throttle_counts_or_lockouts_from_earlier_tests():
    """The cache holds the API throttles' counts and sign-in lock-outs: a test that signs in
    through the token endpoint must not be refused because earlier tests on the same
    worker signed in twenty times within the minute."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request through the test client leaves its language active in the thread
    (LocaleMiddleware activates, nothing deactivates), so the next test on the same
    worker would start in English by chance. Every test starts in the default."""
    yield
    translation.deactivate()


@pytest.fixture
def reference_data(db):
    """The real reference data from fixtures/ (sectors, threat codes, best practices …).

    Always in the test database (see above); tests that rely on it say so by asking.
    """


@pytest.fixture
def without_reference_data(db):
    """A test database without the reference data, as before `load_reference_data` (the
    deletion is rolled back with the test)."""
    Dependency.objects.all().delete()  # protects its sector
    for model in (BestPractice, ForeignMeasure, ChokepointTechnology, ThreatCategory, Sector):
        if any(field.name == "parent" for field in model._meta.fields):
            model.objects.exclude(parent=None).delete()  # children first: parent is protected
        model.objects.all().delete()


@pytest.fixture
def semiconductors(reference_data) -> Sector:
    return Sector.objects.get(code="semiconductors")


@pytest.fixture
def batteries(reference_data) -> Sector:
    return Sector.objects.get(code="batteries")


@pytest.fixture
def code(reference_data):
    def get(value: str) -> ThreatCategory:
        return ThreatCategory.objects.get(code=value)

    return get


@pytest.fixture(scope="module")
def access_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The access world (tests/support/worlds/access.py), built once for the module that
    asks for it and rolled back at its end; every test, and every request in it, runs in
    its own savepoint on top of it."""
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("sweep-media")):
        yield build_sweep_world()


# Tests that start real processes (Chromium, Celery workers, private PostgreSQL and Redis
# servers) or share the Redis broker's queue run one after another on one pytest-xdist
# worker; every other test goes to whichever worker is free (`make test` runs with -n).
# A scheduler of our own rather than xdist_group marks: xdist's loadgroup does not
# group them with pytest 9.
SERIAL_FOLDERS = ("browser", "faults", "integration")
# Modules whose module-scoped world takes long to build and whose tests are few: on one
# worker as a unit, the world is built once per run instead of once per worker.
WHOLE_MODULES = (
    "tests/api/test_query_budgets.py",
    "tests/security/test_derived_sweep.py",
)


def serial_scope(nodeid: str) -> str:
    """The unit of scheduling: one group for the serial folders, a whole module for the
    costly worlds, else the test itself."""
    parts = nodeid.split("/")
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in SERIAL_FOLDERS:
        return "serial"
    module = nodeid.split("::", 1)[0]
    return module if module in WHOLE_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SerialFoldersScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return serial_scope(nodeid)

    return SerialFoldersScheduling(config, log)
