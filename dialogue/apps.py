from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Strategic dialogue")
    default_auto_field = "django.db.models.BigAutoField"
