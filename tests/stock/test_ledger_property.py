"""Property: whatever the sequence of movements, stock on hand (kept
balances) equals the sum of the ledger lines, never goes below zero, and a
refused movement writes nothing."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.stock import ledger, services
from parcours.stock.models import Balance, Batch, LedgerLine
from tests.stock.conftest import make_item, stock_at

BATCHES = ("A", "B", "C")

operation = st.one_of(
    st.tuples(st.just("receipt"), st.sampled_from(BATCHES), st.integers(1, 40)),
    st.tuples(st.just("dispense"), st.none(), st.integers(1, 50)),
    st.tuples(st.just("distribute"), st.none(), st.integers(1, 20)),
    st.tuples(st.just("loss"), st.sampled_from(BATCHES), st.integers(1, 20)),
    st.tuples(st.just("count"), st.sampled_from(BATCHES), st.integers(0, 60)),
    st.tuples(st.just("transfer"), st.none(), st.integers(1, 30)),
    st.tuples(st.just("receive_transfer"), st.none(), st.integers(0, 5)),
    st.tuples(st.just("reverse"), st.none(), st.integers(0, 30)),
)


def _apply(world, item, op):
    kind, batch_name, number = op
    calais, camp = world.calais_day_centre, world.dunkerque_camp
    actor = world.referent
    batch = Batch.objects.filter(item=item, number=batch_name).first() if batch_name else None
    if kind == "receipt":
        days = 30 + 100 * BATCHES.index(batch_name)
        services.receipt_record(
            actor=actor,
            site=calais,
            item=item,
            supplier="S",
            batches=[
                {
                    "number": batch_name,
                    "expires_on": timezone.localdate() + timedelta(days=days),
                    "quantity": number,
                }
            ],
        )
    elif kind == "dispense":
        services.dispense(actor=actor, site=calais, item=item, quantity=number)
    elif kind == "distribute":
        services.distribute(actor=actor, site=calais, item=item, quantity=number, people_count=1)
    elif kind == "loss":
        services.loss_record(
            actor=actor, site=calais, item=item, batch=batch, quantity=number, reason="damaged"
        )
    elif kind == "count":
        services.count_record(actor=actor, site=calais, item=item, batch=batch, counted=number)
    elif kind == "transfer":
        services.transfer_send(actor=actor, site=calais, to_site=camp, item=item, quantity=number)
    elif kind == "receive_transfer":
        pending = LedgerLine.objects.filter(kind="transfer_out").order_by("id")
        line = pending[number] if pending.count() > number else None
        if line is not None:
            services.transfer_receive(actor=actor, line_id=line.pk)
    elif kind == "reverse":
        lines = list(LedgerLine.objects.order_by("id").values_list("pk", flat=True))
        if lines:
            services.line_reverse(actor=actor, line_id=lines[number % len(lines)])


def _invariant(item) -> None:
    from_ledger = {
        (r["site_id"], r["batch_id"]): r["t"]
        for r in LedgerLine.objects.filter(item=item)
        .values("site_id", "batch_id")
        .annotate(t=Sum("quantity"))
    }
    kept = {(b.site_id, b.batch_id): b.on_hand for b in Balance.objects.filter(item=item)}
    assert {k: v for k, v in from_ledger.items() if v} == {k: v for k, v in kept.items() if v}
    assert all(v >= 0 for v in from_ledger.values())
    assert ledger.check_derived() == []


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_stock_on_hand_is_the_sum_of_the_ledger(world, operations):
    with transaction.atomic():
        item = make_item("PROPTEST1")
        stock_at(world.calais_day_centre, item)
        stock_at(world.dunkerque_camp, item)
        for op in operations:
            before = LedgerLine.objects.count()
            try:
                with transaction.atomic():
                    _apply(world, item, op)
            except ValidationError:
                assert LedgerLine.objects.count() == before  # refused: nothing written
            _invariant(item)
        transaction.set_rollback(True)
