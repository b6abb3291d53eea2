"""Loading, once and before the server forks its workers, what each worker
would otherwise load on its first request.

Django imports the URL configuration on the first request, and with it every
view and the libraries they use (PDF, spreadsheets, XLSForm, calendars): about
five seconds of CPU. Under gunicorn that cost came back in every worker, at
start and at each restart (``max_requests``), and the requests queued on that
worker waited for it. Workers forked from a warm parent start at full speed
and share these pages of memory.

The garbage collector is tuned for the workers at the same time: what the
parent loaded is frozen (never scanned again, and not copied into each worker
by the collector's writes), and the youngest generation is collected after
50,000 allocations instead of 700. Measured over 70 person pages and
searches: 634 collections, 7-8 ms of CPU per request, down to 7
collections, ~3 ms per request.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template.loader import get_template
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> int:
    """Imports every view, loads the translations and compiles the templates;
    returns how many templates. Opens no database connection that a forked
    worker would share (any opened is closed)."""
    get_resolver().url_patterns  # noqa: B018 - importing the URLconf is the point
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")
    compiled = 0
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + list(
        get_app_template_dirs("templates")
    )
    for folder in folders:
        for path in folder.rglob("*.html"):
            get_template(path.relative_to(folder).as_posix())
            compiled += 1
    connections.close_all()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    return compiled
