import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The in-process transport when no broker is configured. Tasks then run eagerly
# (CELERY_TASK_ALWAYS_EAGER), but Celery still opens a producer for each one; with an
# empty broker URL kombu would fall back to amqp://localhost and warn "No hostname was
# supplied" on every task.
IN_PROCESS_BROKER_URL = "memory://localhost/"


@app.on_after_configure.connect
def _in_process_without_broker(sender, source, **kwargs) -> None:
    if not source.broker_url:
        source.broker_url = IN_PROCESS_BROKER_URL
