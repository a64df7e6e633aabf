"""Roster's settings plus the peer's app (and django-import-export): benchmark processes only."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "bench.peer"]
