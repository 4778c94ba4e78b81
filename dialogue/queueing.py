"""Queue background work from services, by the name the task is registered under.

Tasks are a front door: `dialogue/tasks.py` imports the services and calls them. A
service that queues work therefore names the task instead of importing that module,
so imports point one way. The app registers the tasks when it starts (apps.py); an
unknown name raises KeyError at once rather than losing the work.
"""

from __future__ import annotations

from celery import current_app

EXPORT_RUN = "dialogue.exports.run"
NOTIFICATIONS_DISPATCH = "dialogue.notifications.dispatch"


def queue(name: str, *args: object) -> None:
    """Send task `name` to a worker (or run it here when tasks run in-process)."""
    current_app.tasks[name].delay(*args)
