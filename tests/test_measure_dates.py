"""A foreign measure's date reads as the plan gives it, in both languages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dialogue.enums import DatePrecision, MeasureStatus
from dialogue.measure_dates import measure_date_label
from dialogue.models import ForeignMeasure
from tests import factories as f
from tests.support.auth import signed_in

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
IN_FORCE, PLANNED, PUBLISHED = (
    MeasureStatus.IN_FORCE,
    MeasureStatus.PLANNED,
    MeasureStatus.PUBLISHED,
)


@pytest.mark.parametrize(
    ("value", "precision", "status", "japanese", "english"),
    [
        (date(2023, 12, 1), DAY, IN_FORCE, "2023年12月1日施行", "in force from 1 December 2023"),
        (date(2023, 7, 1), MONTH, IN_FORCE, "2023年7月施行", "in force from July 2023"),
        (date(2024, 1, 1), YEAR, IN_FORCE, "2024年施行", "in force from 2024"),
        (
            date(2023, 8, 1),
            MONTH,
            PLANNED,
            "施行予定（2023年8月公表）",
            "planned, not yet in force (announced August 2023)",
        ),
        (None, DAY, PLANNED, "施行予定", "planned, not yet in force"),
        (date(2023, 6, 20), DAY, PUBLISHED, "2023年6月20日公表", "published 20 June 2023"),
        (None, DAY, PUBLISHED, "", ""),
        (None, DAY, IN_FORCE, "", ""),
    ],
)
def test_a_measure_date_reads_as_the_plan_gives_it(value, precision, status, japanese, english):
    with translation.override("ja"):
        assert measure_date_label(value, precision, status=status) == japanese
    with translation.override("en"):
        assert measure_date_label(value, precision, status=status) == english


def test_a_month_never_reads_as_its_first_day():
    with translation.override("ja"):
        label = measure_date_label(date(2023, 9, 1), MONTH, status=IN_FORCE)
    assert "1日" not in label


@pytest.mark.parametrize(
    ("value", "precision"),
    [(date(2023, 8, 15), MONTH), (date(2023, 8, 1), YEAR)],
)
def test_a_partial_date_must_be_stored_as_its_first_day(value, precision):
    measure = ForeignMeasure(
        country_code="CN",
        kind="export_control",
        title_ja="措置",
        title_en="measure",
        effective_on=value,
        effective_precision=precision,
    )
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "effective_on" in error.value.message_dict


@pytest.mark.django_db
def test_the_admin_lists_measure_dates_as_the_plan_gives_them(reference_data):
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    page = signed_in(admin).get(
        "/admin/dialogue/foreignmeasure/?country_code__exact=CN", HTTP_ACCEPT_LANGUAGE="ja"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "2020年12月施行" in html and "2020年12月1日" not in html  # export control law
