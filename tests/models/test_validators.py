import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dialogue.models import Organization
from dialogue.validators import corporate_number_check_digit, validate_corporate_number
from tests.factories import OrganizationFactory

# Published corporate numbers: the National Tax Agency and the Cabinet Office.
REAL_NUMBERS = ["7000012050002", "2000012010019"]


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_corporate_numbers_pass(number):
    validate_corporate_number(number)
    assert corporate_number_check_digit(number[1:]) == int(number[0])


@pytest.mark.parametrize(
    "number",
    [
        "8000012050002",  # check digit off by one
        "7000012050003",  # last digit mistyped
        "700001205000",  # 12 digits
        "70000120500021",  # 14 digits
        "７０００01205000２",  # full-width digits
        "7000-12050002",
        "",
    ],
)
def test_wrong_corporate_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_corporate_number(number)


@pytest.mark.django_db
def test_a_wrong_check_digit_is_explained_in_japanese_and_nothing_is_saved():
    organization = OrganizationFactory.build(corporate_number="8000012050002")
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "チェックデジット" in " ".join(error.value.message_dict["corporate_number"])
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_the_same_error_in_english():
    organization = OrganizationFactory.build(corporate_number="8000012050002")
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            organization.full_clean()
        message = " ".join(error.value.message_dict["corporate_number"])
    assert "check digit" in message
