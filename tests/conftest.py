import io

import pytest
from django.core.management import call_command

from dialogue.models import Sector, ThreatCategory


@pytest.fixture
def reference_data(db):
    """The real reference data from fixtures/ (sectors, threat codes, best practices …)."""
    call_command("load_reference_data", stdout=io.StringIO())


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
