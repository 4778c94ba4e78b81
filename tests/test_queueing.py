"""Services queue tasks by name (dialogue/queueing.py): every name is a registered task."""

from celery import current_app

from dialogue import queueing


def test_every_task_name_services_queue_is_registered_by_the_tasks_module():
    names = [value for key, value in vars(queueing).items() if key.isupper()]
    assert names, "no task names found"
    for name in names:
        task = current_app.tasks[name]
        assert task.__module__ == "dialogue.tasks", name
