"""Reports and exports read from the PostgreSQL read replica, when there is one.

A deployment with a streaming replica sets ``PARCOURS_REPLICA_URL``; the
settings then declare a second database alias, ``replica``. Only the code
that asks for it reads there, inside ``replica_reads()``: indicator
computations, dashboards, report and export downloads. They read many rows
and write none, and a few seconds of replication lag do not change a
monthly figure. Everything else (pages, forms, the API, every write, the
audit and access-log rows written while a report is read) stays on the
primary, so nobody ever reads a stale copy of what they have just saved.

``DATABASE_ROUTERS = ["parcours.lib.replica.ReplicaRouter"]`` (settings).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "PARCOURS_REPLICA", False)) and REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, ORM reads go to the replica (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    """Reads inside ``replica_reads()`` go to the replica; every write, every
    migration and every other read go to the primary (``default``)."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_enabled():
            return REPLICA
        return None  # Django's default: the primary, or the instance's own alias

    def db_for_write(self, model, **hints):
        # Also for a row that was read from the replica: it is saved on the primary.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows of either are related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
