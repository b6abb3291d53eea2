"""The ledger is the only truth: lines are never changed, stock never goes
below zero, corrections are reversing lines, the kept tables equal the ledger."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from parcours.stock import ledger, services
from parcours.stock.models import Balance, Kind, LedgerImmutable, LedgerLine, StockOut
from tests.stock.conftest import expiry, make_item


def on_hand_from_ledger(site, item) -> int:
    return LedgerLine.objects.filter(site=site, item=item).aggregate(t=Sum("quantity"))["t"] or 0


def test_a_ledger_line_is_never_edited_nor_deleted(world, paracetamol, receive):
    line = receive(paracetamol, 100)[0]
    line.quantity = 1000
    with pytest.raises(LedgerImmutable):
        line.save()
    with pytest.raises(LedgerImmutable):
        line.delete()
    with pytest.raises(LedgerImmutable):
        LedgerLine.objects.filter(pk=line.pk).update(quantity=5)
    with pytest.raises(LedgerImmutable):
        LedgerLine.objects.filter(pk=line.pk).delete()
    assert LedgerLine.objects.get(pk=line.pk).quantity == 100


def test_a_mistake_is_corrected_by_a_reversing_line(world, paracetamol, receive):
    site = world.calais_day_centre
    line = receive(paracetamol, 100)[0]
    reversal = services.line_reverse(actor=world.logistics, line_id=line.pk, note="typo")
    assert reversal.quantity == -100 and reversal.kind == Kind.RECEIPT
    assert reversal.reverses_id == line.pk
    assert ledger.item_on_hand(site.pk, paracetamol.pk) == 0
    assert LedgerLine.objects.count() == 2
    with pytest.raises(ValidationError):
        services.line_reverse(actor=world.logistics, line_id=line.pk)
    with pytest.raises(ValidationError):
        services.line_reverse(actor=world.logistics, line_id=reversal.pk)


def test_dispensing_more_than_the_stock_names_what_is_available_and_writes_nothing(
    world, paracetamol, receive
):
    site = world.calais_day_centre
    receive(paracetamol, 30)
    before = LedgerLine.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.dispense(actor=world.doctor, site=site, item=paracetamol, quantity=31)
    assert "30 tablet" in str(refused.value)
    assert LedgerLine.objects.count() == before
    assert ledger.item_on_hand(site.pk, paracetamol.pk) == 30


def test_fefo_takes_the_batch_that_expires_first_then_the_next(world, paracetamol, receive):
    site = world.calais_day_centre
    receive(paracetamol, 10, number="LATE", days=400)
    receive(paracetamol, 5, number="SOON", days=60)
    receive(paracetamol, 50, number="GONE", days=-1 + 2)  # tomorrow
    lines = services.dispense(actor=world.doctor, site=site, item=paracetamol, quantity=52)
    taken = [(line.batch.number, -line.quantity) for line in lines]
    assert taken == [("GONE", 50), ("SOON", 2)]
    lines = services.dispense(actor=world.doctor, site=site, item=paracetamol, quantity=4)
    assert [(line.batch.number, -line.quantity) for line in lines] == [("SOON", 3), ("LATE", 1)]


def test_a_chosen_batch_is_used_instead_of_fefo(world, paracetamol, receive):
    site = world.calais_day_centre
    receive(paracetamol, 10, number="LATE", days=400)
    receive(paracetamol, 10, number="SOON", days=60)
    late = paracetamol.batches.get(number="LATE")
    lines = services.dispense(
        actor=world.doctor, site=site, item=paracetamol, quantity=3, batch=late
    )
    assert [line.batch.number for line in lines] == ["LATE"]


def test_receipt_bad_input_writes_nothing(world, paracetamol):
    site = world.calais_day_centre

    def receipt(**batch):
        return services.receipt_record(
            actor=world.logistics, site=site, item=paracetamol, batches=[batch], supplier="X"
        )

    with pytest.raises(ValidationError) as no_batch:
        receipt(number="", expires_on=expiry(), quantity=10)
    assert "number" in no_batch.value.message_dict
    with pytest.raises(ValidationError) as no_expiry:
        receipt(number="L1", expires_on=None, quantity=10)
    assert "expires_on" in no_expiry.value.message_dict
    with pytest.raises(ValidationError) as past:
        receipt(number="L1", expires_on=expiry(-1), quantity=10)
    assert "past" in str(past.value)
    assert LedgerLine.objects.count() == 0


def test_transfer_to_the_same_site_is_refused(world, paracetamol, receive):
    receive(paracetamol, 10)
    with pytest.raises(ValidationError) as refused:
        services.transfer_send(
            actor=world.logistics,
            site=world.calais_day_centre,
            to_site=world.calais_day_centre,
            item=paracetamol,
            quantity=2,
        )
    assert "to_site" in refused.value.message_dict
    assert LedgerLine.objects.count() == 1


def test_transfer_is_in_transit_until_received(world, paracetamol, receive):
    from parcours.stock import planning

    calais, camp = world.calais_day_centre, world.dunkerque_camp
    receive(paracetamol, 10)
    out = services.transfer_send(
        actor=world.logistics, site=calais, to_site=camp, item=paracetamol, quantity=4
    )[0]
    assert planning.in_transit([camp.pk]) == {(camp.pk, paracetamol.pk): 4}
    assert ledger.item_on_hand(camp.pk, paracetamol.pk) == 0
    received = services.transfer_receive(actor=world.referent, line_id=out.pk)
    assert received.quantity == 4 and received.batch_id == out.batch_id
    assert planning.in_transit([camp.pk]) == {}
    assert ledger.item_on_hand(camp.pk, paracetamol.pk) == 4
    assert ledger.item_on_hand(calais.pk, paracetamol.pk) == 6
    with pytest.raises(ValidationError):
        services.transfer_receive(actor=world.referent, line_id=out.pk)


def test_inventory_count_on_an_item_the_site_does_not_stock_is_refused(world, receive):
    unstocked = make_item("DEXTIVER3T", name_fr="Ivermectine", name_en="Ivermectin")
    with pytest.raises(ValidationError) as refused:
        services.count_record(
            actor=world.logistics,
            site=world.calais_day_centre,
            item=unstocked,
            batch=None,
            counted=3,
        )
    assert "does not stock DEXTIVER3T" in str(refused.value)
    assert LedgerLine.objects.count() == 0


def test_inventory_count_records_the_difference_with_the_counter(world, paracetamol, receive):
    site = world.calais_day_centre
    receive(paracetamol, 100)
    batch = paracetamol.batches.get()
    line = services.count_record(
        actor=world.logistics,
        site=site,
        item=paracetamol,
        batch=batch,
        counted=93,
        counter_name="Awa Diallo",
    )
    assert line.kind == Kind.ADJUSTMENT and line.quantity == -7
    assert line.counter_name == "Awa Diallo" and line.counted == 93
    assert ledger.item_on_hand(site.pk, paracetamol.pk) == 93


def test_loss_needs_a_reason(world, paracetamol, receive):
    receive(paracetamol, 10)
    batch = paracetamol.batches.get()
    with pytest.raises(ValidationError):
        services.loss_record(
            actor=world.logistics,
            site=world.calais_day_centre,
            item=paracetamol,
            batch=batch,
            quantity=2,
            reason="",
        )
    line = services.loss_record(
        actor=world.logistics,
        site=world.calais_day_centre,
        item=paracetamol,
        batch=batch,
        quantity=2,
        reason="damaged",
    )
    assert line.quantity == -2 and line.loss_reason == "damaged"


def test_stock_out_periods_follow_the_ledger(world, paracetamol, receive):
    site = world.calais_day_centre
    receive(paracetamol, 5)
    services.dispense(actor=world.doctor, site=site, item=paracetamol, quantity=5)
    assert StockOut.objects.filter(site=site, item=paracetamol, ended_at__isnull=True).exists()
    receive(paracetamol, 5, number="LOT2")
    assert not StockOut.objects.filter(ended_at__isnull=True).exists()
    assert ledger.check_derived() == []


def test_kept_balances_are_checked_against_the_ledger(world, paracetamol, receive):
    receive(paracetamol, 5)
    assert ledger.check_derived() == []
    Balance.objects.update(on_hand=6)
    assert ledger.check_derived() != []


def test_roles_without_stock_rights_cannot_move_stock(world, paracetamol, receive):
    receive(paracetamol, 5)
    for persona in ("coordinator", "psychologist", "reception", "admin", "meal"):
        with pytest.raises(PermissionDenied):
            services.dispense(
                actor=world.users[persona],
                site=world.calais_day_centre,
                item=paracetamol,
                quantity=1,
            )
    assert on_hand_from_ledger(world.calais_day_centre, paracetamol) == 5
