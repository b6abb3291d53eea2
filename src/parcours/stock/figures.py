"""Monthly stock figures for the MEAL indicators (``StockMonth``), derived
from the ledger and the stock-out periods kept with it.

A month is recorded once it is over, for every item the site stocks: its
days out of stock in the month (``planning.stockout_days``) and whether it
ended the month below its minimum (on hand at the month's end against the
AMC of the 3 months that end there, as ``planning.counts`` says today).
``ledger.post`` forgets the months a back-dated movement changes;
``months_record`` writes what is missing, and the MEAL facts call it before
counting, so a figure is never older than the ledger.
"""

from datetime import date, datetime

from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parcours.stock import planning
from parcours.stock.models import LedgerLine, SiteItem, StockMonth


def month_start(day: date) -> datetime:
    return planning._aware(day.replace(day=1))


def _months_between(first: date, last: date) -> list[date]:
    """First days of the months from ``first``'s to ``last``'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = planning.add_months(month, 1)
    return months


def _net_by_month(site_id: int, end: datetime) -> dict[tuple[int, date], int]:
    """(item, first day of month) → net movement of the month, before ``end``:
    one GROUP BY over the site's ledger."""
    rows = (
        LedgerLine.objects.filter(site_id=site_id, occurred_at__lt=end)
        .annotate(m=TruncMonth("occurred_at"))
        .values("item_id", "m")
        .annotate(net=Sum("quantity"))
        .order_by()
    )
    net: dict[tuple[int, date], int] = {}
    for row in rows:
        day = timezone.localdate(row["m"]) if timezone.is_aware(row["m"]) else row["m"].date()
        net[(row["item_id"], day.replace(day=1))] = row["net"]
    return net


def _site_months(site_id: int, months: list[date], items) -> list[StockMonth]:
    """The rows of ``months`` (consecutive, oldest first) for the site's items."""
    end = planning._aware(planning.add_months(months[-1], 1))
    net = _net_by_month(site_id, end)
    # On hand at the start of the first month to write: all that came before.
    on_hand = {}
    for (item_id, month), quantity in net.items():
        if month < months[0]:
            on_hand[item_id] = on_hand.get(item_id, 0) + quantity
    rows = []
    for month in months:
        following = planning.add_months(month, 1)
        at_end = planning._aware(following)
        out = planning.stockout_days([site_id], [(month, following)], now=at_end)
        amc = planning.amc_for([site_id], today=following, now=at_end)
        for si in items:
            held = on_hand.get(si.item_id, 0) + net.get((si.item_id, month), 0)
            on_hand[si.item_id] = held
            average = amc.get((site_id, si.item_id))
            below = held <= 0 or bool(average) and held / average < float(si.min_months)
            rows.append(
                StockMonth(
                    site_id=site_id,
                    item_id=si.item_id,
                    month=planning._aware(month),
                    stockout_days=round(out.get((site_id, si.item_id, 0), 0.0), 2),
                    on_hand_at_end=held,
                    below_min_at_end=below,
                    out_at_end=held <= 0,
                    quarter_end=month.month % 3 == 0,
                    year_end=month.month == 12,
                )
            )
    return rows


def months_record(site_ids=None, *, today: date | None = None) -> int:
    """Write the missing months (complete ones, from the site's first ledger
    line) of these sites (all: None); returns the number of rows written.
    Idempotent: a month already written is left as it is."""
    today = today or timezone.localdate()
    last = planning.add_months(today.replace(day=1), -1)
    pairs = SiteItem.objects.filter(stocked=True)
    if site_ids is not None:
        pairs = pairs.filter(site_id__in=site_ids)
    by_site: dict[int, list] = {}
    for si in pairs.order_by("site_id", "item_id"):
        by_site.setdefault(si.site_id, []).append(si)
    done = dict(
        StockMonth.objects.filter(site_id__in=by_site)
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
        began = LedgerLine.objects.filter(site_id=site_id).aggregate(at=Min("occurred_at"))["at"]
        if began is None:
            continue
        first = timezone.localdate(began).replace(day=1)
        if recorded is not None:
            first = planning.add_months(timezone.localdate(recorded), 1)
        months = _months_between(first, last)
        if not months:
            continue
        rows = _site_months(site_id, months, items)
        # Two readers may fill the same month at once: the second adds nothing.
        StockMonth.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        written += len(rows)
    return written
