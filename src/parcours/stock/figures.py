"""Monthly stock figures (``StockMonth``), derived from the ledger and the
stock-out periods kept with it: what the AMC reads and what the MEAL
indicators count.

A month is recorded once it is over, for every item the site stocks: what
was consumed, the days out of stock in the month, the stock on hand at its
end and whether that was below the minimum (against the AMC of the 3 months
that end there). ``ledger.post`` forgets the months a back-dated movement
changes; ``months_record`` writes what is missing (a site's months in one
pass over its ledger) and is called before any reading, so a figure is never
older than the ledger; ``check`` recomputes them all and lists differences.
"""

from datetime import date, datetime

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parcours.meal import invalidation as meal_invalidation
from parcours.org.models import Site
from parcours.stock.models import CONSUMPTION_KINDS, LedgerLine, SiteItem, StockMonth, StockOut
from parcours.stock.months import AMC_MONTHS, add_months, adjusted_amc, aware


def last_complete_month(today: date | None = None) -> date:
    """First day of the last month that is over (never later than the real one)."""
    real = timezone.localdate().replace(day=1)
    asked = (today or timezone.localdate()).replace(day=1)
    return add_months(min(real, asked), -1)


def _months_between(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _ledger_by_month(site_id: int, end: datetime) -> dict[tuple[int, date], tuple[int, int]]:
    """(item, first day of month) → (net movement, consumed) before ``end``:
    one GROUP BY over the site's ledger."""
    rows = (
        LedgerLine.objects.filter(site_id=site_id, occurred_at__lt=end)
        .annotate(m=TruncMonth("occurred_at"))
        .values("item_id", "m")
        .annotate(net=Sum("quantity"), out=Sum("quantity", filter=Q(kind__in=CONSUMPTION_KINDS)))
        .order_by()
    )
    result = {}
    for row in rows:
        month = row["m"]
        day = timezone.localdate(month) if isinstance(month, datetime) else month
        result[(row["item_id"], day.replace(day=1))] = (row["net"], -(row["out"] or 0))
    return result


def _stockout_days(site_id: int, months: list[date]) -> dict[tuple[int, int], float]:
    """(item, month index) → days out of stock in that month (fractions included)."""
    start, end = aware(months[0]), aware(add_months(months[-1], 1))
    bounds = [(aware(m), aware(add_months(m, 1))) for m in months]
    now = timezone.now()
    periods = StockOut.objects.filter(site_id=site_id, started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    days: dict[tuple[int, int], float] = {}
    for item_id, began, ended in periods.values_list("item_id", "started_at", "ended_at"):
        ended = ended or now
        for index, (m0, m1) in enumerate(bounds):
            a, b = max(began, m0), min(ended, m1)
            if b > a:
                key = (item_id, index)
                days[key] = days.get(key, 0.0) + (b - a).total_seconds() / 86400
    return days


def compute_months(site_id: int, months: list[date], items) -> list[StockMonth]:
    """The rows of ``months`` (consecutive, oldest first) for ``items`` (the
    site's stocked ``SiteItem`` rows), from the ledger alone."""
    span = [add_months(months[0], -n) for n in range(AMC_MONTHS - 1, 0, -1)] + months
    ledger = _ledger_by_month(site_id, aware(add_months(months[-1], 1)))
    out = _stockout_days(site_id, span)
    on_hand: dict[int, int] = {}
    for (item_id, month), (net, _used) in ledger.items():
        if month < months[0]:
            on_hand[item_id] = on_hand.get(item_id, 0) + net
    rows = []
    for index, month in enumerate(span):
        if month < months[0]:
            continue
        for si in items:
            net, used = ledger.get((si.item_id, month), (0, 0))
            held = on_hand.get(si.item_id, 0) + net
            on_hand[si.item_id] = held
            window = [
                (
                    ledger.get((si.item_id, span[k]), (0, 0))[1],
                    (add_months(span[k], 1) - span[k]).days,
                    out.get((si.item_id, k), 0.0),
                )
                for k in range(index - AMC_MONTHS + 1, index + 1)
            ]
            amc = adjusted_amc(window)
            rows.append(
                StockMonth(
                    site_id=site_id,
                    item_id=si.item_id,
                    month=aware(month),
                    consumed=used,
                    stockout_days=round(out.get((si.item_id, index), 0.0), 2),
                    on_hand_at_end=held,
                    below_min_at_end=held <= 0 or bool(amc) and held / amc < float(si.min_months),
                    out_at_end=held <= 0,
                    quarter_end=month.month % 3 == 0,
                    year_end=month.month == 12,
                )
            )
    return rows


def _stocked(site_ids) -> dict[int, list]:
    pairs = SiteItem.objects.filter(stocked=True)
    if site_ids is not None:
        pairs = pairs.filter(site_id__in=site_ids)
    by_site: dict[int, list] = {}
    for si in pairs.order_by("site_id", "item_id"):
        by_site.setdefault(si.site_id, []).append(si)
    return by_site


def _first_month(site_id: int) -> date | None:
    began = LedgerLine.objects.filter(site_id=site_id).aggregate(at=Min("occurred_at"))["at"]
    return timezone.localdate(began).replace(day=1) if began is not None else None


def months_record(site_ids=None, *, today: date | None = None) -> int:
    """Write the missing months (complete ones, from the site's first ledger
    line) of these sites (all: None); returns the number of rows written.
    A month already written is left as it is."""
    last = last_complete_month(today)
    by_site = _stocked(site_ids)
    done = dict(
        StockMonth.objects.filter(site_id__in=list(by_site))
        .values("site_id")
        .annotate(last=Max("month"))
        .values_list("site_id", "last")
        .order_by()
    )
    written = 0
    for site_id, items in by_site.items():
        recorded = done.get(site_id)
        if recorded is not None and timezone.localdate(recorded) >= last:
            continue
        if recorded is not None:
            first = add_months(timezone.localdate(recorded).replace(day=1), 1)
        else:
            first = _first_month(site_id)
        if first is None or first > last:
            continue
        rows = compute_months(site_id, _months_between(first, last), items)
        # Two readers may fill the same month at once: the second adds nothing.
        StockMonth.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        # Written in bulk (no signals): the MEAL figures kept for these months go.
        project_id = Site.objects.filter(pk=site_id).values_list("project_id", flat=True).first()
        meal_invalidation.touch(
            {(project_id, timezone.localdate(r.month).replace(day=1)) for r in rows}
        )
        written += len(rows)
    return written


FIELDS = ("consumed", "stockout_days", "on_hand_at_end", "below_min_at_end", "out_at_end")


def check(site_ids=None) -> list[str]:
    """Differences between the recorded months and the ledger (none: they agree)."""
    problems = []
    for site_id, items in _stocked(site_ids).items():
        kept = {
            (r.item_id, r.month): r
            for r in StockMonth.objects.filter(
                site_id=site_id, item_id__in=[s.item_id for s in items]
            )
        }
        if not kept:
            continue
        first = _first_month(site_id)
        last = timezone.localdate(max(month for _i, month in kept)).replace(day=1)
        for row in compute_months(site_id, _months_between(first, last), items):
            mine = kept.get((row.item_id, row.month))
            if mine is None:
                problems.append(f"month {site_id}/{row.item_id}/{row.month:%Y-%m} missing")
                continue
            for name in FIELDS:
                a, b = getattr(row, name), getattr(mine, name)
                if (abs(float(a) - float(b)) > 0.01) if name == "stockout_days" else a != b:
                    problems.append(
                        f"month {site_id}/{row.item_id}/{row.month:%Y-%m} {name}: {b} kept, {a}"
                    )
    return problems


def _rows(site_ids, months):
    return list(
        StockMonth.objects.filter(
            site_id__in=site_ids, month__gte=aware(months[0][0]), month__lt=aware(months[-1][1])
        ).values_list("site_id", "item_id", "month", "consumed", "stockout_days")
    )


def recorded(site_ids, months: list[tuple[date, date]]) -> dict[tuple[int, int], list]:
    """(site, item) → [(consumed, days in month, days out of stock)] of these
    complete months, oldest first, for the stocked items: two queries once
    the months are recorded (recorded here when a site misses the last one)."""
    last = aware(months[-1][0])
    pairs = list(
        SiteItem.objects.filter(site_id__in=site_ids, stocked=True).values_list(
            "site_id", "item_id"
        )
    )
    rows = _rows(site_ids, months)
    missing = {site for site, _item in pairs} - {r[0] for r in rows if r[2] == last}
    if missing and months_record(site_ids, today=months[-1][1]):
        rows = _rows(site_ids, months)
    index = {aware(m0): i for i, (m0, _m1) in enumerate(months)}
    lengths = [(m1 - m0).days for m0, m1 in months]
    result = {pair: [(0, length, 0.0) for length in lengths] for pair in pairs}
    for site_id, item_id, month, consumed, out in rows:
        cells = result.get((site_id, item_id))
        position = index.get(month)
        if cells is not None and position is not None:
            cells[position] = (consumed, lengths[position], float(out))
    return result
