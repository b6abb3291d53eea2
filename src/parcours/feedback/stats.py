"""The feedback figures of a project for MEAL, coordinators and the SITREP.

Items a reader may not read in full are never broken down: the sensitive
items are one anonymous total for everyone but the safeguarding focal
points. These querysets are also what the MEAL indicators count
(``counted_items``)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parcours.feedback import rules
from parcours.feedback.models import Channel, FeedbackCategory, FeedbackItem
from parcours.lib.languages import language_name


def counted_items(project_id: int, start: date, end: date):
    """Every item of the project received between ``start`` and ``end``
    (inclusive), sensitive or not: the base of every figure."""
    return FeedbackItem.objects.filter(
        project_id=project_id, received_at__date__gte=start, received_at__date__lte=end
    )


def on_time(items, done: str, due: str, today: date) -> tuple[int, int]:
    """(done on time, items due): an item counts once its deadline passed or
    once it was done. Counted in the database."""
    counted = items.filter(Q(**{f"{done}__isnull": False}) | Q(**{f"{due}__lt": today}))
    totals = counted.aggregate(
        total=Count("pk"),
        ok=Count("pk", filter=Q(**{f"{done}__date__lte": F(due)})),
    )
    return totals["ok"], totals["total"]


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Figures:
    total: int = 0
    detailed: int = 0
    sensitive_total: int | None = None  # shown alone when not broken down
    by_category: list = field(default_factory=list)
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


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def figures(user, project, start: date, end: date, *, today=None) -> Figures:
    today = today or timezone.localdate()
    items = counted_items(project.pk, start, end)
    detail_open = rules.may_count_open(user, project.pk)
    detail_sensitive = rules.may_count_sensitive_in_detail(user, project.pk)
    result = Figures(total=items.count())
    kinds = [k for k, shown_ in ((False, detail_open), (True, detail_sensitive)) if shown_]
    shown = items.filter(sensitive__in=kinds)
    if not detail_sensitive:
        result.sensitive_total = items.filter(sensitive=True).count()
    if not detail_open:
        result.total = items.filter(sensitive=True).count() if detail_sensitive else result.total
    result.detailed = shown.count()
    categories = dict(FeedbackCategory.choices)
    channels = dict(Channel.choices)

    def counted(path: str) -> list[tuple[str, int]]:
        rows = shown.order_by().values(path).annotate(n=Count("pk")).order_by("-n", path)
        return [(row[path], row["n"]) for row in rows]

    by_category = counted("category")
    result.by_category = [(str(categories.get(k, "")) or None, n) for k, n in by_category]
    result.by_channel = [(str(channels.get(k, k)), n) for k, n in counted("channel")]
    result.by_language = [(language_name(k) or k or "—", n) for k, n in counted("language")]
    result.by_site = [(k or None, n) for k, n in counted("site__name")]
    result.months = _months(start, end)
    monthly = (
        shown.order_by()
        .annotate(month=TruncMonth("received_at"))
        .values("category", "month")
        .annotate(n=Count("pk"))
    )
    topics: Counter = Counter()
    per_month: Counter = Counter()
    for row in monthly:
        month = row["month"].strftime("%Y-%m")
        topics[(row["category"], month)] += row["n"]
        per_month[month] += row["n"]
    result.by_month = [(m, per_month[m]) for m in result.months]
    result.topics_over_time = [
        (str(categories.get(k, "")) or None, [topics[(k, m)] for m in result.months])
        for k, _n in by_category
    ]
    result.acknowledged_on_time = on_time(shown, "acknowledged_at", "acknowledge_due", today)
    result.responded_on_time = on_time(shown, "responded_at", "respond_due", today)
    delays = [
        (responded - received).total_seconds() / 86400
        for received, responded in shown.filter(responded_at__isnull=False).values_list(
            "received_at", "responded_at"
        )
    ]
    result.median_days_to_response = round(median(delays), 1) if delays else None
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
