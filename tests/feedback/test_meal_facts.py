"""The feedback figures as MEAL indicators: the values equal the figures
counted here independently, item by item; sensitive items are only ever a
total (no field, no disaggregation) for coordinators and MEAL officers."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parcours.feedback import services
from parcours.feedback.models import FeedbackItem
from parcours.meal.engine import EngineError, compute
from parcours.meal.facts import get_fact
from parcours.meal.models import Indicator, IndicatorKind, Measure
from parcours.meal.periods import Period, parse_period


def _indicator(world, code, **fields):
    fields.setdefault("fact", "feedback_items")
    fields.setdefault("measure", Measure.COUNT)
    return Indicator.objects.create(
        project=world.calais,
        code=code,
        name_fr=code,
        name_en=code,
        kind=IndicatorKind.COMPUTED,
        **fields,
    )


def _ratio(world, code, done: str, due: str):
    return _indicator(
        world,
        code,
        fact="",
        measure=Measure.RATIO,
        numerator={
            "fact": "feedback_items",
            "measure": "count",
            "filters": [{"field": done, "op": "eq", "value": True}],
        },
        denominator={
            "fact": "feedback_items",
            "measure": "count",
            "filters": [{"field": due, "op": "eq", "value": True}],
        },
    )


@pytest.fixture
def month_items(world, staff_item):
    """Items of the month before last (every deadline passed since), handled
    on time, late and not at all, two of them sensitive."""
    period = Period.containing(timezone.localdate(), "month").previous(2)

    def at(day, hour=10):
        return timezone.make_aware(datetime(period.start.year, period.start.month, day, hour))

    a = staff_item(category="suggestion", received_at=at(3), language="ar")
    b = staff_item(category="suggestion", received_at=at(5), site=world.calais_day_centre)
    c = staff_item(category="info_request", received_at=at(8, 23))
    d = staff_item(category="service_complaint", received_at=at(9), site=world.calais_day_centre)
    staff_item(category="sea", received_at=at(4), site=world.calais_day_centre, language="ti")
    staff_item(category="staff_conduct", received_at=at(6), site=world.calais_day_centre)
    staff_item(category="suggestion", received_at=at(1) - timedelta(days=2))  # month before

    def move(item, to, days, **kw):
        item.refresh_from_db()
        return services.feedback_move(
            actor=world.meal,
            item=item,
            version=item.version,
            to_status=to,
            now=item.received_at + timedelta(days=days),
            **kw,
        )

    answer = {"response": "More places on Thursday", "response_method": "community_meeting"}
    move(a, "acknowledged", 2)
    move(a, "responded", 10, note="Answered at the community meeting", **answer)
    move(b, "acknowledged", 9)  # late
    move(d, "acknowledged", 1)
    move(d, "responded", 40, note="Answered after the review", **answer)  # late
    assert c.pk  # never acknowledged: overdue
    return period


def _independent(period, today):
    """The figures counted here, item by item, in Python."""
    low, high = period.bounds()
    rows = [
        i
        for i in FeedbackItem.objects.filter(received_at__gte=low, received_at__lt=high)
        if not i.sensitive
    ]
    local = timezone.localtime
    ack_due = [i for i in rows if i.acknowledged_at or i.acknowledge_due < today]
    ack_ok = [
        i
        for i in rows
        if i.acknowledged_at and local(i.acknowledged_at).date() <= i.acknowledge_due
    ]
    resp_due = [i for i in rows if i.responded_at or i.respond_due < today]
    resp_ok = [i for i in rows if i.responded_at and local(i.responded_at).date() <= i.respond_due]
    days = [
        (i.responded_at - i.received_at).total_seconds() / 86400 for i in rows if i.responded_at
    ]
    return {
        "items": len(rows),
        "suggestions": sum(i.category == "suggestion" for i in rows),
        "day_centre": sum(i.site_id is not None for i in rows),
        "ack": round(100 * len(ack_ok) / len(ack_due), 1),
        "resp": round(100 * len(resp_ok) / len(resp_due), 1),
        "days": round(sum(days), 2),
    }


def test_indicator_values_equal_independent_figures(world, month_items):
    period = month_items
    expected = _independent(period, timezone.localdate())
    # ack: a, d on time, b late, c overdue; resp: a on time, d late, b and c overdue.
    assert expected["items"] == 4 and expected["ack"] == 50.0 and expected["resp"] == 25.0
    items = _indicator(world, "FB-ITEMS")
    suggestions = _indicator(
        world, "FB-SUGG", filters=[{"field": "category", "op": "eq", "value": "suggestion"}]
    )
    ack = _ratio(world, "FB-ACK", "acknowledged_on_time", "acknowledgement_due")
    resp = _ratio(world, "FB-RESP", "responded_on_time", "response_due")
    days = _indicator(world, "FB-DAYS", measure=Measure.SUM, field="response_days")
    sensitive = _indicator(world, "FB-SENS", fact="feedback_sensitive")
    for user in (world.meal, world.coordinator):
        assert compute(items, period, user=user).total == expected["items"]
        assert compute(suggestions, period, user=user).total == expected["suggestions"]
        assert compute(ack, period, user=user).total == expected["ack"]
        assert compute(resp, period, user=user).total == expected["resp"]
        assert compute(days, period, user=user).total == Decimal(str(expected["days"]))
        assert compute(sensitive, period, user=user).total == 2
        by_site = compute(items, period, user=user, disaggregate=["site"])
        cells = {c["site"]: c["value"] for c in by_site.values}
        # The two sensitive items of the day centre are not among its items.
        assert cells[world.calais_day_centre.name] == expected["day_centre"] == 2


def test_sensitive_items_are_only_a_total(world, month_items):
    period = month_items
    fact = get_fact("feedback_sensitive")
    assert fact.fields == () and fact.dimensions == ()
    sensitive = _indicator(world, "FB-SENS", fact="feedback_sensitive")
    by_category = _indicator(
        world,
        "FB-SEA",
        fact="feedback_sensitive",
        filters=[{"field": "category", "op": "eq", "value": "sea"}],
    )
    open_sea = _indicator(
        world, "FB-SEA2", filters=[{"field": "category", "op": "eq", "value": "sea"}]
    )
    open_ti = _indicator(world, "FB-TI", filters=[{"field": "language", "op": "eq", "value": "ti"}])
    for user in (world.meal, world.coordinator):
        result = compute(sensitive, period, user=user)
        assert result.total == 2 and result.values == []
        for refused in (["site"], ["sex"]):
            with pytest.raises(EngineError):
                compute(sensitive, period, user=user, disaggregate=refused)
        with pytest.raises(EngineError):  # no field to filter on
            compute(by_category, period, user=user)
        with pytest.raises(EngineError):  # "sea" is not a category of the open items
            compute(open_sea, period, user=user)
        # The Tigrinya SEA complaint is not among the open items.
        assert compute(open_ti, period, user=user).total == 0
        frozen = str(compute(sensitive, period, user=user).as_dict())
        assert "sea" not in frozen.replace("feedback_sensitive", "")
        one_day = parse_period(f"{period.start}..{period.start}")
        with pytest.raises(EngineError, match="whole months"):
            compute(sensitive, one_day, user=user)
        whole_months = parse_period(f"{period.start}..{period.end}")
        assert compute(sensitive, whole_months, user=user).total == 2
    for user in (world.advocacy, world.admin):
        with pytest.raises(PermissionDenied):
            compute(sensitive, period, user=user)
