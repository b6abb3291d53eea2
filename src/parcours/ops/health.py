"""``/healthz``: whether this process can serve: the database answers, every
migration is applied, the encryption key is loaded and matches the data.
For load balancers and monitoring; says which check failed, nothing more."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parcours.lib import crypto
from parcours.vault import canary


def _database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _encryption_key() -> bool:
    crypto.get_key_ring()
    return not canary.verify()


CHECKS = {"database": _database, "migrations": _migrations, "encryption_key": _encryption_key}


@never_cache
@require_GET
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception:  # noqa: BLE001 - a probe reports, it never raises
            results[name] = "failing"
        if results[name] != "ok" and name == "database":
            break  # the other checks need the database
    healthy = all(results.get(name) == "ok" for name in CHECKS)
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
