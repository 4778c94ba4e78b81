"""The embedded default: `make run` on a laptop (SQLite, tasks in-process, console e-mail).

It behaves like production: DEBUG is off (the app's own error pages, no URL list on a
mistyped address) unless DJANGO_DEBUG=true, and WhiteNoise serves the collected
static files.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# `make run` seeds the demo accounts (seed_demo); `make bench` generates and measures.
# Production settings do not install these developer commands.
INSTALLED_APPS = [*INSTALLED_APPS, "dialogue.devtools"]
