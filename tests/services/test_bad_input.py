"""Bad input gets a clear, translated field error, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dialogue.models import FollowUpAction, Threat
from dialogue.services.actions import action_create
from dialogue.services.threats import threat_create
from tests.factories import OfficialFactory


@pytest.fixture
def official(semiconductors):
    return OfficialFactory(sectors=[semiconductors])


@pytest.mark.django_db
@pytest.mark.parametrize("bad_code", ["9-9", "1", "", "1-2; DROP TABLE", "１-２"])
def test_unknown_threat_code(official, semiconductors, bad_code):
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        threat_create(
            actor=official,
            title="t",
            sector=semiconductors,
            category=bad_code,
            likelihood=3,
            impact=3,
        )
    assert "脅威コード" in error.value.message_dict["category"][0]
    assert not Threat.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad_date", ["2026-13-01", "next week", "2026/12/01", "", "2026-02-30"])
def test_unparseable_due_date(official, semiconductors, bad_date):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            action_create(
                actor=official, title="t", sector=semiconductors, owner=official, due_on=bad_date
            )
        message = error.value.message_dict["due_on"][0]
    assert message == "Enter the due date as YYYY-MM-DD, e.g. 2026-12-01."
    assert not FollowUpAction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad_marking", ["AMBER-STRICT", "WHITE", "red", "", "TLP:RED"])
def test_marking_outside_the_five(official, semiconductors, code, bad_marking):
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        threat_create(
            actor=official,
            title="t",
            sector=semiconductors,
            category=code("1-2"),
            likelihood=3,
            impact=3,
            marking=bad_marking,
        )
    assert "marking" in error.value.message_dict
    assert not Threat.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("likelihood", [0, 6])
def test_likelihood_outside_one_to_five(official, semiconductors, code, likelihood):
    with pytest.raises(ValidationError) as error:
        threat_create(
            actor=official,
            title="t",
            sector=semiconductors,
            category=code("1-2"),
            likelihood=likelihood,
            impact=3,
        )
    assert "likelihood" in error.value.message_dict
    assert not Threat.objects.exists()


@pytest.mark.django_db
def test_a_valid_threat_derives_its_severity(official, semiconductors):
    threat = threat_create(
        actor=official,
        title="退職者による技術流出",
        sector=semiconductors,
        category="1-2",
        likelihood=4,
        impact=5,
    )
    threat.refresh_from_db()
    assert threat.severity == 20
    assert threat.severity_level == "critical"
    assert threat.category.code == "1-2"
