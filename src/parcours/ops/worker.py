"""``parcours worker``: one process that queues the periodic jobs when due and
runs the queued tasks.

Each round: ``scheduler.enqueue_due`` (idempotent, see there), then
django-tasks' database worker in batch mode runs every ready task (each
claimed under a row lock, so several workers share one queue), then a
pause. SIGTERM or SIGINT lets the task in progress finish and stops before
the next one; a second signal interrupts the task (recorded failed) and the
process exits.
"""

import logging
import signal
import sys
import time
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from parcours.ops import scheduler

logger = logging.getLogger("parcours.ops.worker")


@dataclass
class Round:
    queued: list[str] = field(default_factory=list)
    ran: int = 0


class Worker:
    def __init__(self, *, interval: float = 30.0, worker_id: str | None = None):
        self.interval = interval
        self.worker_id = worker_id or get_random_string(32)
        self.stopping = False
        self._queue_worker: QueueWorker | None = None

    # -- signals ---------------------------------------------------------------

    def _stop(self, signum, frame) -> None:
        if self.stopping:
            logger.warning("%s again: stopping now.", signal.strsignal(signum))
            sys.exit(1)
        logger.warning("%s: stopping after the task in progress.", signal.strsignal(signum))
        self.stopping = True
        if self._queue_worker is not None:
            self._queue_worker.running = False

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    # -- one round -------------------------------------------------------------

    def run_queued(self) -> int:
        """Run every ready task, then return how many ran."""
        self._queue_worker = QueueWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        if self.stopping:
            return 0
        try:
            self._queue_worker.run()
            return self._queue_worker._run_tasks
        finally:
            self._queue_worker = None

    def round(self) -> Round:
        close_old_connections()
        done = Round()
        if not self.stopping:
            done.queued = [run.job for run in scheduler.enqueue_due(timezone.now())]
        done.ran = self.run_queued()
        return done

    def run_forever(self) -> None:
        logger.info("worker %s: started", self.worker_id)
        while not self.stopping:
            done = self.round()
            if done.queued or done.ran:
                logger.info("queued %s; ran %d task(s)", ", ".join(done.queued) or "-", done.ran)
            waited = 0.0
            while not self.stopping and waited < self.interval:
                time.sleep(min(1.0, self.interval - waited))  # wakes for a signal within 1 s
                waited += 1.0
        logger.info("worker %s: stopped", self.worker_id)
