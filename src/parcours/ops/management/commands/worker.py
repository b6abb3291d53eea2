"""``parcours worker [--once] [--interval SECONDS]``: queue the periodic jobs
when they are due and run the queued tasks (see ``parcours.ops.worker`` and
docs/operations.md). ``--once`` queues what is due, runs everything queued
and exits (for cron, and for tests)."""

import logging

from django.core.management.base import BaseCommand, CommandError

from parcours.ops.jobs import JOBS
from parcours.ops.worker import Worker


class Command(BaseCommand):
    help = "Run the periodic jobs and the task queue (one process; --once for a single round)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="queue what is due, run the queue, exit"
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between rounds (default 30)"
        )

    def handle(self, *args, once=False, interval=30.0, verbosity=1, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        logger = logging.getLogger("parcours.ops.worker")
        if verbosity and not logger.handlers:
            logger.addHandler(logging.StreamHandler(self.stdout))
            logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)
            logger.propagate = False  # the root handler would print each line twice
        worker = Worker(interval=interval)
        worker.install_signals()
        if not once:
            for job in JOBS.values():
                off = job.off_because()
                self.stdout.write(
                    f"{job.code:<14} {job.schedule}" + (f"  (off: {off})" if off else "")
                )
            worker.run_forever()
            return
        done = worker.round()
        self.stdout.write(
            f"queued: {', '.join(done.queued) or 'nothing due'}; ran {done.ran} task(s)"
        )
