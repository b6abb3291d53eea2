"""The MEAL indicators of the pharmacy (stock/meal_facts.py) against figures
worked out by hand in the test: days out of stock and items below minimum
at the end of a complete month."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parcours.meal.engine import compute
from parcours.meal.facts import get_fact
from parcours.meal.models import Indicator, IndicatorKind, Measure
from parcours.meal.periods import Period
from parcours.stock import planning, services
from parcours.stock.models import StockMonth
from tests.stock.conftest import make_item, stock_at


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def month():
    """The month before last: complete, and its AMC months all in the past."""
    first = planning.add_months(timezone.localdate().replace(day=1), -2)
    return first, planning.add_months(first, 1)


@pytest.fixture
def calais_stock(world, receive, month):
    """Calais in that month: A out of stock 7 days 6 hours then refilled; B
    ends the month with a third of a month of stock; C never received; E
    emptied the month before and still empty; D at Dunkerque out too."""
    m0, m1 = month
    site = world.calais_day_centre
    a, b, c, e = (make_item(code) for code in ("ITEMA", "ITEMB", "ITEMC", "ITEME"))
    for item in (a, b, c, e):
        stock_at(site, item)
    d = make_item("ITEMD")
    stock_at(world.dunkerque_camp, d)
    receive(a, 10, number="A1", occurred_at=at(m0 + timedelta(days=1), 9))
    services.dispense(
        actor=world.doctor, site=site, item=a, quantity=10, occurred_at=at(m0 + timedelta(days=5))
    )
    receive(a, 5, number="A2", occurred_at=at(m0 + timedelta(days=12), 18))
    receive(b, 100, number="B1", occurred_at=at(m0 + timedelta(days=1), 9))
    services.dispense(
        actor=world.doctor, site=site, item=b, quantity=90, occurred_at=at(m0 + timedelta(days=2))
    )
    before = m0 - timedelta(days=2)
    receive(e, 3, number="E1", occurred_at=at(before, 9))
    services.dispense(actor=world.doctor, site=site, item=e, quantity=3, occurred_at=at(before))
    receive(d, 4, number="D1", site=world.dunkerque_camp, occurred_at=at(before, 9))
    services.dispense(
        actor=world.dunkerque_doctor,
        site=world.dunkerque_camp,
        item=d,
        quantity=4,
        occurred_at=at(before),
    )
    return {"a": a, "b": b, "c": c, "e": e}


def indicator(project, code, fact, **fields):
    return Indicator.objects.create(
        project=project,
        code=code,
        name_fr=code,
        name_en=code,
        kind=IndicatorKind.COMPUTED,
        fact=fact,
        **fields,
    )


def test_facts_are_declared_under_the_stock_category():
    for code in ("stock_out_days", "stock_below_min"):
        fact = get_fact(code)
        assert fact is not None and fact.category == "stock" and "site" in fact.dimensions


def test_stock_out_days_equal_the_periods_worked_out_by_hand(world, calais_stock, month):
    m0, m1 = month
    days_in_month = (m1 - m0).days
    # A: from day 5 at noon to day 12 at 18:00; E: the whole month.
    expected = 7.25 + days_in_month
    ind = indicator(world.calais, "STK-RUPT", "stock_out_days", measure=Measure.SUM, field="days")
    result = compute(ind, Period.month(m0.year, m0.month), user=world.meal, disaggregate=["site"])
    assert result.total == pytest.approx(expected, abs=0.01)
    assert [(c["site"], c["value"]) for c in result.values] == [
        (world.calais_day_centre.name, pytest.approx(expected, abs=0.01))
    ]
    # The same figure as the planning queryset the status page uses.
    assert planning.stockout_days_total([world.calais_day_centre.pk], m0, m1) == pytest.approx(
        expected, abs=0.01
    )


def test_items_below_minimum_at_the_end_of_the_month(world, calais_stock, month, receive):
    m0, m1 = month
    period = Period.month(m0.year, m0.month)
    ind = indicator(world.calais, "STK-MIN", "stock_below_min", measure=Measure.COUNT)
    # B: 10 left, AMC 90 / 3 = 30 (below 1 month); C never received; E empty.
    # A: 5 left for an AMC of about 4.4: above its minimum of one month.
    assert compute(ind, period, user=world.meal).total == 3
    assert compute(ind, period, user=world.coordinator).total == 3
    # A back-dated receipt of C in that month: the month is worked out again.
    receive(calais_stock["c"], 50, number="C1", occurred_at=at(m0 + timedelta(days=20)))
    assert not StockMonth.objects.filter(site=world.calais_day_centre, month__gte=at(m0, 0))
    assert compute(ind, period, user=world.meal).total == 2
    # The next month: E still empty, B and C unchanged.
    following = Period.month(m1.year, m1.month)
    assert compute(ind, following, user=world.meal).total == 2


def test_who_counts_stock(world, calais_stock, month):
    m0, _m1 = month
    ind = indicator(world.calais, "STK-MIN", "stock_below_min", measure=Measure.COUNT)
    period = Period.month(m0.year, m0.month)
    # Who aggregates stock, and who reads the stock pages anyway.
    for user in (world.referent, world.logistics, world.doctor):
        assert compute(ind, period, user=user).total == 3
    for user in (world.psychologist, world.social_worker, world.advocacy):
        with pytest.raises(PermissionDenied):
            compute(ind, period, user=user)


def test_an_item_stocked_later_joins_the_recorded_months(world, calais_stock, month):
    from parcours.stock.catalogue import site_item_save

    m0, _m1 = month
    ind = indicator(world.calais, "STK-MIN", "stock_below_min", measure=Measure.COUNT)
    period = Period.month(m0.year, m0.month)
    assert compute(ind, period, user=world.meal).total == 3
    late = make_item("ITEMF")
    site_item_save(
        actor=world.referent,
        site=world.calais_day_centre,
        item=late,
        stocked=True,
        min_months=1,
        max_months=3,
    )
    # Never received: out of stock at the end of every month since.
    assert compute(ind, period, user=world.meal).total == 4
