"""The feedback figures of a project for MEAL, coordinators and the SITREP.

Items a reader may not read in full are never broken down: the sensitive
items are one anonymous total for everyone but the safeguarding focal
points (and for everyone in the SITREP). The MEAL indicators count the same
items through ``parcours.feedback.meal_facts``.

Counted in the database in one GROUP BY (plus one or two rows for the
median), on stored columns: the on-time flags and the days to response are
stored when the step happens, so that no date is converted per row (on
SQLite, ``__date`` and TruncMonth call Python once per row). bench/feedback.py
times the page on 20,000 items."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from parcours.feedback import rules
from parcours.feedback.models import Channel, FeedbackCategory, FeedbackItem
from parcours.lib.languages import language_name


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[local midnight of ``start``, local midnight after ``end``)."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def counted_items(project_id: int, start: date, end: date):
    """Every item of the project received between ``start`` and ``end``
    (inclusive, local dates), sensitive or not: the base of every figure."""
    low, high = local_bounds(start, end)
    return FeedbackItem.objects.filter(
        project_id=project_id, received_at__gte=low, received_at__lt=high
    )


def due_q(step: str, today: date) -> Q:
    """The items whose step ``acknowledged`` or ``responded`` counts in its
    on-time rate: done, or its deadline passed."""
    due = "acknowledge_due" if step == "acknowledged" else "respond_due"
    return Q(**{f"{step}_at__isnull": False}) | Q(**{f"{due}__lt": today})


def on_time_aggregates(today: date) -> dict:
    """Aggregates of (done in time, items due) of the acknowledgement and of
    the response, and of the items answered."""
    return {
        "ack_ok": Count("pk", filter=Q(acknowledged_in_time=True)),
        "ack_due": Count("pk", filter=due_q("acknowledged", today)),
        "resp_ok": Count("pk", filter=Q(responded_in_time=True)),
        "resp_due": Count("pk", filter=due_q("responded", today)),
        "answered": Count("pk", filter=Q(response_days__isnull=False)),
    }


def median_days(items, answered: int) -> float | None:
    """The median of the days to response of the ``answered`` items, read
    from the database (one or two rows, whatever the number of items)."""
    if not answered:
        return None
    days = (
        items.filter(response_days__isnull=False)
        .order_by("response_days")
        .values_list("response_days", flat=True)
    )
    middle = list(days[(answered - 1) // 2 : answered // 2 + 1])
    return round(float(sum(middle)) / len(middle), 1)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Figures:
    total: int = 0
    detailed: int = 0
    sensitive_total: int | None = None  # shown alone when not broken down
    by_category: list = field(default_factory=list)
    category_codes: list = field(default_factory=list)  # (code, items), for the SITREP
    by_channel: list = field(default_factory=list)
    by_language: list = field(default_factory=list)
    by_site: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    topics_over_time: list = field(default_factory=list)
    months: list = field(default_factory=list)
    acknowledged_on_time: tuple = (0, 0)
    responded_on_time: tuple = (0, 0)
    median_days_to_response: float | None = None

    @property
    def acknowledged_percent(self):
        return percent(*self.acknowledged_on_time)

    @property
    def responded_percent(self):
        return percent(*self.responded_on_time)


def _month_starts(start: date, end: date) -> list[date]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


BREAKDOWN = ("category", "channel", "language", "site__name")


def month_columns(start: date, end: date) -> tuple[list[date], dict]:
    """The first day of each month of [start, end] and a conditional count
    per month (local month edges compared with the stored instant)."""
    firsts = _month_starts(start, end)
    edges = [local_bounds(first, first)[0] for first in firsts] + [local_bounds(start, end)[1]]
    columns = {
        f"m{i}": Count("pk", filter=Q(received_at__gte=low, received_at__lt=high))
        for i, (low, high) in enumerate(zip(edges, edges[1:], strict=False))
    }
    return firsts, columns


def grouped(items, today: date, months: dict) -> list[dict]:
    """One GROUP BY on sensitivity and the four breakdowns, with the on-time
    counts and the items of each month: a few hundred rows at most, whatever
    the number of items (the only scan of the items but the median's)."""
    return list(
        items.order_by()
        .values("sensitive", *BREAKDOWN)
        .annotate(n=Count("pk"), **on_time_aggregates(today), **months)
    )


def breakdown(rows) -> dict[str, list[tuple[str, int]]]:
    """(value, items) by each of ``BREAKDOWN``, the largest first."""
    sums: dict[str, Counter] = {path: Counter() for path in BREAKDOWN}
    for row in rows:
        for path in BREAKDOWN:
            sums[path][row[path]] += row["n"]
    return {
        path: sorted(sums[path].items(), key=lambda kv: (-kv[1], kv[0] or "")) for path in BREAKDOWN
    }


def figures(user, project, start: date, end: date, *, today=None, detail_sensitive=None) -> Figures:
    """The figures ``user`` reads; ``detail_sensitive=False`` keeps the
    sensitive items a total whoever reads (the SITREP)."""
    today = today or timezone.localdate()
    items = counted_items(project.pk, start, end)
    detail_open = rules.may_count_open(user, project.pk)
    if detail_sensitive is None:
        detail_sensitive = rules.may_count_sensitive_in_detail(user, project.pk)
    kinds = [k for k, shown_ in ((False, detail_open), (True, detail_sensitive)) if shown_]
    shown_q = Q(sensitive__in=kinds) if kinds else Q(pk__isnull=True)
    firsts, months = month_columns(start, end)
    rows = grouped(items, today, months)
    shown_rows = [row for row in rows if row["sensitive"] in kinds]

    def total(key, among=shown_rows):
        return sum(row[key] for row in among)

    sensitive_total = total("n", [row for row in rows if row["sensitive"]])
    result = Figures(total=total("n", rows), detailed=total("n"))
    if not detail_sensitive:
        result.sensitive_total = sensitive_total
    if not detail_open:
        result.total = sensitive_total if detail_sensitive else result.total
    result.acknowledged_on_time = (total("ack_ok"), total("ack_due"))
    result.responded_on_time = (total("resp_ok"), total("resp_due"))
    shown = items.filter(shown_q)
    result.median_days_to_response = median_days(shown, total("answered"))
    categories = dict(FeedbackCategory.choices)
    channels = dict(Channel.choices)
    counts = breakdown(shown_rows)
    by_category = result.category_codes = counts["category"]
    result.by_category = [(str(categories.get(k, "")) or None, n) for k, n in by_category]
    result.by_channel = [(str(channels.get(k, k)), n) for k, n in counts["channel"]]
    result.by_language = [(language_name(k) or k or "—", n) for k, n in counts["language"]]
    result.by_site = [(k or None, n) for k, n in counts["site__name"]]
    monthly: dict[str, list[int]] = {}
    for row in shown_rows:
        counts_ = monthly.setdefault(row["category"], [0] * len(firsts))
        for i in range(len(firsts)):
            counts_[i] += row[f"m{i}"]
    result.months = [m.strftime("%Y-%m") for m in firsts]
    result.by_month = [
        (m, sum(row[i] for row in monthly.values())) for i, m in enumerate(result.months)
    ]
    result.topics_over_time = [
        (str(categories.get(k, "")) or None, monthly.get(k, [0] * len(firsts)))
        for k, _n in by_category
    ]
    return result


def bar_chart(values: list[tuple[str, int]], *, width=600, height=140) -> dict:
    """Bars of a month series, for an SVG drawn by the template."""
    top = max([n for _m, n in values] + [1])
    step = width / max(len(values), 1)
    bars = []
    for i, (label, n) in enumerate(values):
        h = round((height - 20) * n / top)
        bars.append(
            {
                "x": round(i * step + 2),
                "y": height - 16 - h,
                "w": max(round(step - 4), 1),
                "h": h,
                "n": n,
                "label": label[2:],
                "tx": round(i * step + step / 2),
            }
        )
    return {"width": width, "height": height, "bars": bars, "base": height - 16}
