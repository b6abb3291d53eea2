"""Medical orders: drafted, sent for validation, validated by the medical
referent only, sent, received in several deliveries; exports."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from parcours.stock import ledger, orders, planning
from parcours.stock.models import OrderStatus
from tests.stock.conftest import expiry


@pytest.fixture
def order(world, paracetamol):
    return orders.order_create(
        actor=world.logistics,
        site=world.calais_day_centre,
        lines=[{"item": paracetamol.pk, "quantity": 100, "comment": "=urgent"}],
    )


def _status(actor, order, status):
    order.refresh_from_db()
    return orders.order_set_status(
        actor=actor, order_id=order.pk, version=order.version, status=status
    )


def test_only_the_medical_referent_validates(world, order):
    _status(world.logistics, order, OrderStatus.WAITING)
    for persona in ("logistics", "coordinator", "admin", "doctor", "meal"):
        with pytest.raises(PermissionDenied):
            _status(world.users[persona], order, OrderStatus.VALIDATED)
    validated = _status(world.referent, order, OrderStatus.VALIDATED)
    assert validated.status == OrderStatus.VALIDATED
    assert validated.validated_by == world.referent


def test_an_order_validated_twice_is_refused_with_a_message(world, order):
    _status(world.logistics, order, OrderStatus.WAITING)
    _status(world.referent, order, OrderStatus.VALIDATED)
    with pytest.raises(ValidationError) as twice:
        _status(world.referent, order, OrderStatus.VALIDATED)
    assert "already validated" in str(twice.value)


def test_a_stale_version_is_refused(world, order):
    with pytest.raises(orders.StaleOrder):
        orders.order_set_status(
            actor=world.logistics, order_id=order.pk, version=order.version + 1, status="waiting"
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_lifecycle_with_two_deliveries(world, order, paracetamol):
    site = world.calais_day_centre
    assert planning.on_order([site.pk]) == {}
    _status(world.logistics, order, OrderStatus.WAITING)
    assert planning.on_order([site.pk]) == {(site.pk, paracetamol.pk): 100}
    with pytest.raises(ValidationError):
        _status(world.logistics, order, OrderStatus.SENT)  # not validated yet
    _status(world.referent, order, OrderStatus.VALIDATED)
    _status(world.logistics, order, OrderStatus.SENT)
    order.refresh_from_db()
    orders.order_receive(
        actor=world.logistics,
        order_id=order.pk,
        version=order.version,
        deliveries=[
            {"item": paracetamol.pk, "number": "A1", "expires_on": expiry(), "quantity": 60}
        ],
        supplier="MSF Supply",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_RECEIVED
    assert planning.on_order([site.pk]) == {(site.pk, paracetamol.pk): 40}
    orders.order_receive(
        actor=world.logistics,
        order_id=order.pk,
        version=order.version,
        deliveries=[
            {"item": paracetamol.pk, "number": "B2", "expires_on": expiry(500), "quantity": 40}
        ],
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    assert ledger.item_on_hand(site.pk, paracetamol.pk) == 100
    assert planning.on_order([site.pk]) == {}


def test_a_delivery_without_batch_or_expiry_writes_nothing(world, order, paracetamol):
    _status(world.logistics, order, OrderStatus.WAITING)
    _status(world.referent, order, OrderStatus.VALIDATED)
    sent = _status(world.logistics, order, OrderStatus.SENT)
    with pytest.raises(ValidationError):
        orders.order_receive(
            actor=world.logistics,
            order_id=order.pk,
            version=sent.version,
            deliveries=[
                {"item": paracetamol.pk, "number": "A1", "expires_on": None, "quantity": 60}
            ],
            supplier="MSF Supply",
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.SENT
    assert ledger.item_on_hand(world.calais_day_centre.pk, paracetamol.pk) == 0


def test_draft_from_suggestions(world, paracetamol, receive):
    with pytest.raises(ValidationError):
        # No consumption yet: nothing to suggest.
        orders.order_create(actor=world.logistics, site=world.calais_day_centre)


def test_exports_xlsx_and_pdf(world, order, login):
    client = login(world.logistics)
    response = client.get(f"/stock/order/{order.pk}/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("item_code", "designation", "unit", "quantity", "comment")
    assert rows[1][0] == "DORAPARA5T" and rows[1][3] == 100
    assert rows[1][4] == "'=urgent"  # never a formula
    pdf = client.get(f"/stock/order/{order.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(world.doctor).get(f"/stock/order/{order.pk}/xlsx/").status_code == 404
