"""Validators for Japanese identifiers, and for text a database can store."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
