"""The periodic jobs, installed once into django-celery-beat's tables.

The defaults live in settings (reviewed like code); they are written to the
database only when missing, so times an official changes in the admin stay
changed across restarts and deployments.
"""

from django.conf import settings


def default_schedule() -> dict[str, dict]:
    reminder_hour, reminder_minute = settings.REMINDER_SWEEP_AT.split(":")
    digest_hour, digest_minute = settings.DIGEST_ROUND_AT.split(":")
    notice_hour, notice_minute = settings.NOTICE_DIGEST_AT.split(":")
    return {
        "Reminder sweep (daily)": {
            "task": "dialogue.reminders.sweep",
            "crontab": {"hour": reminder_hour, "minute": reminder_minute},
        },
        "Chokepoint review reminders (daily)": {
            "task": "dialogue.chokepoints.review_reminders",
            "crontab": {"hour": reminder_hour, "minute": reminder_minute},
        },
        "Referral reminders (daily)": {
            "task": "dialogue.referrals.remind",
            "crontab": {"hour": reminder_hour, "minute": reminder_minute},
        },
        "Plan-revision digests (daily check; weekly or monthly per person)": {
            "task": "dialogue.digests.round",
            "crontab": {"hour": digest_hour, "minute": digest_minute},
        },
        "Notification dispatch": {
            "task": "dialogue.notifications.dispatch",
            "every_seconds": settings.NOTIFICATION_DISPATCH_EVERY_SECONDS,
        },
        "Notice e-mails (immediately)": {
            "task": "dialogue.notices.mail",
            "every_seconds": settings.NOTICE_MAIL_EVERY_SECONDS,
        },
        "Notice e-mails (daily check; daily or weekly per person)": {
            "task": "dialogue.notices.digest",
            "crontab": {"hour": notice_hour, "minute": notice_minute},
        },
        "Expired export files clean-up": {
            "task": "dialogue.exports.expire",
            "every_seconds": 3600,
        },
    }


def install_schedule() -> list[str]:
    """Create the periodic tasks that do not exist yet; return the names created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = []
    for name, entry in default_schedule().items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if "crontab" in entry:
            schedule, _ = CrontabSchedule.objects.get_or_create(
                **entry["crontab"],
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            PeriodicTask.objects.create(name=name, task=entry["task"], crontab=schedule)
        else:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=entry["every_seconds"], period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.create(name=name, task=entry["task"], interval=interval)
        created.append(name)
    return created
