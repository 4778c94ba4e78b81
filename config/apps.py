"""Configurations of third-party apps that need something from the project."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class SignInRecordsConfig(AxesAppConfig):
    """django-axes with a name in the admin (its own config has none, so the admin would
    show its label, "Axes", untranslated)."""

    verbose_name = _("Sign-in records")
