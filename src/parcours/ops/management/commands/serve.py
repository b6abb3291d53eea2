"""``parcours serve``: the app under gunicorn, the production WSGI server.

Workers from the CPU count (2 × cores + 1, or --workers), a request timeout,
static files through whitenoise (already in the middleware), views and
templates loaded before the workers fork (``ops.warm``), and an access
log that writes the path without its query string: a query can hold a name
searched for, and names never go to server logs.
"""

import os

from django.core.management.base import BaseCommand, CommandError

# gunicorn's %(U)s is the path without the query string; %(M)s the duration in ms.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve Parcours with gunicorn (production WSGI server)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("PARCOURS_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
        parser.add_argument("--access-log", default="-", help="file, or - for stdout")

    def handle(self, *args, bind, workers, timeout, access_log, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        from gunicorn.app.base import BaseApplication

        from parcours.ops.warm import warm_up
        from parcours.wsgi import application

        # Loaded here, in the parent: every worker, at start and at each
        # restart, is forked warm (see parcours.ops.warm).
        warm_up()

        options = {
            "bind": bind,
            "workers": workers,
            "timeout": timeout,
            "graceful_timeout": 30,
            "accesslog": access_log,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            # Workers restart now and then: a slow leak never takes a mission down.
            "max_requests": 2000,
            "max_requests_jitter": 200,
        }

        class Parcours(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"Parcours on http://{bind} with {workers} workers (gunicorn)")
        Parcours().run()
