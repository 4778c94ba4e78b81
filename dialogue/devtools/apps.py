from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "dialogue.devtools"
    label = "devtools"
    verbose_name = "Developer tools"
