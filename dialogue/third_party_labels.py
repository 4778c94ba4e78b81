"""Japanese for the admin labels of the apps we install that ship no Japanese catalogue
(django-celery-beat's schedules, django-axes' sign-in records; django-axes' app name is
in config/apps.py).

Django merges every catalogue into one per language, and LOCALE_PATHS (our catalogue)
comes first; listing the apps' own English strings here puts them into our .po file,
where they are translated. Nothing calls this module: `makemessages` reads it.
"""

from django.utils.translation import gettext_noop

LABELS = [
    # django-celery-beat
    gettext_noop("Periodic Tasks"),
    gettext_noop("periodic tasks"),
    gettext_noop("periodic task"),
    gettext_noop("clocked"),
    gettext_noop("crontabs"),
    gettext_noop("crontab"),
    gettext_noop("solar events"),
    gettext_noop("solar event"),
    gettext_noop("intervals"),
    gettext_noop("interval"),
    gettext_noop("Task Name"),
    gettext_noop("Interval Schedule"),
    gettext_noop("Crontab Schedule"),
    gettext_noop("Solar Schedule"),
    gettext_noop("Clocked Schedule"),
    gettext_noop("Positional Arguments"),
    gettext_noop("Keyword Arguments"),
    gettext_noop("Queue Override"),
    gettext_noop("Exchange"),
    gettext_noop("Routing Key"),
    gettext_noop("AMQP Message Headers"),
    gettext_noop("Expires Datetime"),
    gettext_noop("Expires timedelta with seconds"),
    gettext_noop("One-off Task"),
    gettext_noop("Start Datetime"),
    gettext_noop("Last Run Datetime"),
    gettext_noop("Total Run Count"),
    gettext_noop("Last Modified"),
    gettext_noop("Clock Time"),
    gettext_noop("Minute(s)"),
    gettext_noop("Hour(s)"),
    gettext_noop("Day(s) Of The Month"),
    gettext_noop("Month(s) Of The Year"),
    gettext_noop("Day(s) Of The Week"),
    gettext_noop("Cron Timezone"),
    gettext_noop("Solar Event"),
    gettext_noop("Latitude"),
    gettext_noop("Longitude"),
    gettext_noop("Number of Periods"),
    gettext_noop("Interval Period"),
    # django-axes
    gettext_noop("access attempts"),
    gettext_noop("access attempt"),
    gettext_noop("access logs"),
    gettext_noop("access log"),
    gettext_noop("access failures"),
    gettext_noop("access failure"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Access lock out"),
]
