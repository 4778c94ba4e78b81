"""Errors in one shape: 400 with field errors, 403, 404, 409 for a stale update."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from dialogue.services.common import PermissionDeniedError, StaleVersionError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"


def dialogue_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDeniedError):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, StaleVersionError):
        return Response(
            {
                "detail": _(
                    "Someone else changed this record since you loaded it. "
                    "Reload it and apply your change again."
                ),
                "current_version": exc.instance.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return exception_handler(exc, context)
