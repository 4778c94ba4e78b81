"""The embedded default: `make run` on a laptop (SQLite, tasks in-process, console e-mail)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
