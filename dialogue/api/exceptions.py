"""Errors in one shape: 400 with field errors, 403, 404, 409 for a stale update, 428 for an
update that does not say which version it is based on.

Messages quote what was sent ("“x” is not a valid choice."), so a lone surrogate in the
input is replaced before the answer is encoded as UTF-8, and the messages Django REST
framework has no Japanese for (a surrogate, an unreadable body) get one of ours.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler

from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.validators import UNPAIRED_SURROGATE, UNPAIRED_SURROGATE_MESSAGE


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    """An update of a versioned record without the version it is based on: it could
    overwrite someone else's change unseen, so it is refused."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "version_required"
    default_detail = gettext_lazy(
        'Say which version you are changing: send the header If-Match: "<version>" '
        "(the ETag of your read) or a “version” field in the body."
    )


def _sendable(detail):
    """`detail` with every lone surrogate replaced, and DRF's surrogate message in ours."""
    if isinstance(detail, dict):
        return {key: _sendable(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_sendable(value) for value in detail]
    if isinstance(detail, str):
        code = getattr(detail, "code", None)
        if code == "surrogate_characters_not_allowed":
            text = str(UNPAIRED_SURROGATE_MESSAGE)
        else:
            text = UNPAIRED_SURROGATE.sub("\ufffd", detail)
        return ErrorDetail(text, code=code) if isinstance(detail, ErrorDetail) else text
    return detail


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
    elif isinstance(exc, Http404):
        # Django's "No Concern matches the given query." is English only and names the
        # model: every 404 says DRF's "Not found.", in the caller's language.
        exc = exceptions.NotFound()
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
    elif isinstance(exc, exceptions.ParseError):
        # "JSON parse error - …" is for developers and English only: say it in the
        # caller's language first.
        exc = exceptions.ParseError(f"{exceptions.ParseError.default_detail} {exc.detail}")
    response = exception_handler(exc, context)
    if response is not None:
        response.data = _sendable(response.data)
    return response
