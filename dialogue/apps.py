from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Strategic dialogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        import dialogue.tasks  # noqa: F401 - registers the tasks services queue by name
        from dialogue.audit import connect_signals
        from dialogue.services import tokens
        from dialogue.text_search import install_sqlite_functions

        connection_created.connect(install_sqlite_functions)
        post_migrate.connect(_install_schedule, sender=self)
        connect_signals()
        tokens.connect_signals()


def _install_schedule(sender, **kwargs) -> None:
    from dialogue.schedule import install_schedule

    install_schedule()
