"""Validators for Japanese identifiers, and for text a database can store."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogue.countries import COUNTRIES

UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
UNPAIRED_SURROGATE_MESSAGE = _("Unpaired surrogate characters (U+D800 to U+DFFF) cannot be stored.")


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a corporate number (法人番号) from its 12-digit base.

    The National Tax Agency's rule: weight the base digits 1, 2, 1, 2, … from the
    rightmost, and the check digit is 9 - (sum mod 9).
    """
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base12)))
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A corporate number is exactly 13 half-width digits."), code="format"
        )
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _("This corporate number's check digit is wrong; please check the number."),
            code="check_digit",
        )


def validate_storable_text(value: str) -> None:
    """No NUL (PostgreSQL refuses it in text) and no unpaired surrogate (not UTF-8).

    Form and serializer fields refuse both already; this catches text that reaches a
    service some other way (a raw request parameter, a task, a command).
    """
    ProhibitNullCharactersValidator()(value)
    if UNPAIRED_SURROGATE.search(value):
        raise ValidationError(UNPAIRED_SURROGATE_MESSAGE, code="surrogate_characters_not_allowed")


def unstorable_text_errors(instance: models.Model) -> dict[str, list[ValidationError]]:
    """Per field, why a text value of `instance` could not be stored."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
            try:
                validate_storable_text(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
    return errors


# HS chapters run from 01 to 97; chapter 77 is reserved and unused.
HS_CODE_LENGTHS = (4, 6, 9)


def normalize_hs_code(value: str) -> str:
    """An HS code as stored: digits only ("2811.11" → "281111")."""
    return "".join(ch for ch in str(value or "").strip() if ch not in ".- ")


def validate_hs_code(value: str) -> None:
    """A heading (4 digits), a subheading (6) or Japan's statistical code (9 digits)."""
    if not (
        isinstance(value, str)
        and value.isascii()
        and value.isdigit()
        and len(value) in HS_CODE_LENGTHS
    ):
        raise ValidationError(
            _("An HS code is 4, 6 or 9 half-width digits (e.g. 2811.11 or 281111)."),
            code="hs_format",
        )
    chapter = int(value[:2])
    if not 1 <= chapter <= 97 or chapter == 77:
        raise ValidationError(
            _("“%(code)s” is not an HS code: the chapter (first two digits) runs from 01 to 97.")
            % {"code": value},
            code="hs_chapter",
        )


def validate_country_code(value: str) -> None:
    if value not in COUNTRIES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code (e.g. CN, TW, US).")
            % {"code": value},
            code="country",
        )
