"""Average monthly consumption (days out of stock excluded, as OpenLMIS
adjusts), months of stock, states, reorder suggestion."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from parcours.stock import planning, services
from parcours.stock.models import SiteItem

TODAY = date(2026, 11, 15)


def at(year, month, day, hour=0):
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def history(world, paracetamol, receive):
    site = world.calais_day_centre

    def dispense(quantity, when):
        services.dispense(
            actor=world.doctor, site=site, item=paracetamol, quantity=quantity, occurred_at=when
        )

    return site, dispense


def test_amc_leaves_out_a_month_spent_out_of_stock(world, paracetamol, receive, history):
    site, dispense = history
    receive(paracetamol, 250, occurred_at=at(2026, 7, 1))
    dispense(100, at(2026, 8, 10))
    dispense(150, at(2026, 9, 1))  # empty from 1 September…
    receive(paracetamol, 300, number="LOT2", occurred_at=at(2026, 10, 1))  # …to 1 October
    dispense(60, at(2026, 10, 16))
    amc = planning.amc_for([site.pk], today=TODAY, now=at(2026, 11, 15))
    # August 100, September out of stock all month (left out), October 60.
    assert amc[(site.pk, paracetamol.pk)] == pytest.approx((100 + 60) / 2)


def test_amc_adjusts_a_month_partly_out_of_stock(world, paracetamol, receive, history):
    site, dispense = history
    receive(paracetamol, 90, occurred_at=at(2026, 7, 1))
    dispense(30, at(2026, 8, 10))
    dispense(30, at(2026, 9, 10))
    dispense(30, at(2026, 10, 1))  # empty from 1 October…
    receive(paracetamol, 100, number="LOT2", occurred_at=at(2026, 10, 17))  # …16 days
    dispense(20, at(2026, 10, 20))
    amc = planning.amc_for([site.pk], today=TODAY, now=at(2026, 11, 15))
    october = 50 * 31 / (31 - 16)
    assert amc[(site.pk, paracetamol.pk)] == pytest.approx((30 + 30 + october) / 3)
    rows = {r.item.code: r for r in planning.site_status(site, today=TODAY, now=at(2026, 11, 15))}
    assert rows["DORAPARA5T"].stockout_days == pytest.approx(16)


def test_months_of_stock_state_and_suggestion(world, paracetamol, receive, history):
    site, dispense = history
    SiteItem.objects.filter(site=site, item=paracetamol).update(min_months=2, max_months=4)
    receive(paracetamol, 200, occurred_at=at(2026, 7, 1))
    for month in (8, 9, 10):
        dispense(30, at(2026, month, 5))
    row = planning.site_status(site, today=TODAY, now=at(2026, 11, 15))[0]
    assert row.amc == pytest.approx(30)
    assert row.on_hand == 110
    assert row.months_of_stock == pytest.approx(110 / 30)
    assert row.state == "ok"
    assert row.suggestion == 4 * 30 - 110
    dispense(60, at(2026, 11, 10))
    row = planning.site_status(site, today=TODAY, now=at(2026, 11, 15))[0]
    assert row.state == "below"  # 50 left: 1.7 months, minimum 2
    assert row.suggestion == 120 - 50


def test_expiring_batches_within_three_months(world, paracetamol, receive):
    site = world.calais_day_centre
    receive(paracetamol, 10, number="SOON", days=40)
    receive(paracetamol, 10, number="LATER", days=200)
    row = planning.site_status(site)[0]
    assert [b.number for b, _q in row.expiring] == ["SOON"]
    assert planning.counts([site.pk])["expiring"] == 1
