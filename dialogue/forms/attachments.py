"""File inputs for concern attachments, shared by the portal and the workspace: several
files in one input, the limits shown in the user's language. The content of each file is
checked by the attachment service, not here."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the attachment service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def attachments_field() -> MultipleFileField:
    return MultipleFileField(label=gettext_lazy("Attachments"), required=False)


def attachments_help() -> str:
    """Built per request: the limits are settings and the text is in the user's language."""
    return _(
        "Up to %(count)d files, each at most %(size)s: PDF, Office documents, images "
        "(PNG, JPEG, GIF, WebP) or plain text. The content is checked, not the file name."
    ) % {
        "count": settings.ATTACHMENT_MAX_PER_CONCERN,
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }


def check_attachment_count(files: list, already: int = 0) -> list:
    limit = settings.ATTACHMENT_MAX_PER_CONCERN
    if already + len(files) > limit:
        raise ValidationError(
            ngettext_lazy(
                "A concern can have at most %(limit)d attachment.",
                "A concern can have at most %(limit)d attachments.",
                "limit",
            )
            % {"limit": limit},
            code="too_many",
        )
    return files
