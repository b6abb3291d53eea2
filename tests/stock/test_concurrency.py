"""Two people dispense the last units at the same moment: one gets them, the
other is told what is left; stock never goes below zero. Needs real row locks
and concurrent transactions: PostgreSQL (CI runs it there)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from parcours.stock import services
from parcours.stock.models import Balance, LedgerLine
from tests.stock.conftest import expiry, make_item, stock_at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction: no two dispensings run at once there; "
    "this runs in the PostgreSQL CI run (DATABASE_URL=postgres://…)",
)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_dispensings_of_the_last_units():
    from tests.personas import build_world

    world = build_world()
    item = make_item()
    site = world.calais_day_centre
    stock_at(site, item)
    services.receipt_record(
        actor=world.referent,
        site=site,
        item=item,
        supplier="S",
        batches=[{"number": "LAST", "expires_on": expiry(), "quantity": 5}],
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def dispense(user):
        try:
            barrier.wait(timeout=10)
            services.dispense(actor=user, site=site, item=item, quantity=5)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispense, args=(u,)) for u in (world.doctor, world.referent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
    refused = next(o for o in outcomes if o != "ok")
    assert "0 tablet" in refused
    total = LedgerLine.objects.filter(site=site, item=item).aggregate(t=Sum("quantity"))["t"]
    assert total == 0
    assert Balance.objects.get(site=site, item=item).on_hand == 0
