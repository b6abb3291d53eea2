"""Consumption and planning, computed in the database from the ledger (and
the stock-out periods kept with it): average monthly consumption (AMC),
months of stock, batches expiring soon, stock-outs, quantities on order and
in transit, reorder suggestions. docs/stock.md gives the formulas."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from parcours.stock import figures
from parcours.stock.models import (
    CONSUMPTION_KINDS,
    Balance,
    Kind,
    LedgerLine,
    Order,
    OrderLine,
    OrderStatus,
    SiteItem,
    StockOut,
)
from parcours.stock.months import (  # noqa: F401 (AMC_MONTHS, add_months: part of this API)
    AMC_MONTHS,
    add_months,
    adjusted_amc,
    aware,
    complete_months,
)

EXPIRY_MONTHS = 3
# Orders whose quantities count as "on order" until received.
OPEN_ORDER_STATUSES = (
    OrderStatus.WAITING,
    OrderStatus.VALIDATED,
    OrderStatus.SENT,
    OrderStatus.PARTLY_RECEIVED,
)


def _aware(day: date) -> datetime:
    return aware(day)


def stockout_days(site_ids, months, *, now: datetime) -> dict[tuple[int, int, int], float]:
    """(site, item, month index) → days without stock in that month."""
    start, end = _aware(months[0][0]), _aware(months[-1][1])
    periods = StockOut.objects.filter(site_id__in=site_ids, started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    days: dict[tuple[int, int, int], float] = {}
    for out in periods.values_list("site_id", "item_id", "started_at", "ended_at"):
        site_id, item_id, began, ended = out
        ended = ended or now
        for index, (m0, m1) in enumerate(months):
            a, b = max(began, _aware(m0)), min(ended, _aware(m1))
            if b > a:
                key = (site_id, item_id, index)
                days[key] = days.get(key, 0.0) + (b - a).total_seconds() / 86400
    return days


def consumption(site_ids, months) -> dict[tuple[int, int, int], int]:
    """(site, item, month index) → quantity consumed (dispensed or distributed,
    corrections included), one query per month."""
    used: dict[tuple[int, int, int], int] = {}
    for index, (m0, m1) in enumerate(months):
        rows = (
            LedgerLine.objects.filter(
                site_id__in=site_ids,
                kind__in=CONSUMPTION_KINDS,
                occurred_at__gte=_aware(m0),
                occurred_at__lt=_aware(m1),
            )
            .values("site_id", "item_id")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for row in rows:
            used[(row["site_id"], row["item_id"], index)] = -row["total"]
    return used


def amc_for(
    site_ids, *, today: date | None = None, now: datetime | None = None
) -> dict[tuple[int, int], float | None]:
    """(site, item) → average monthly consumption over the last 3 complete
    months, each month's consumption adjusted for its days out of stock
    (consumption × days in month ÷ days with stock); a month without a single
    day in stock is left out. None when every month was left out.

    Read from the recorded months (``figures``: one query of 3 rows per
    item); computed from the ledger when they are not over yet."""
    return {key: adjusted_amc(cells) for key, cells in monthly(site_ids, today, now).items()}


def monthly(site_ids, today=None, now=None) -> dict[tuple[int, int], list]:
    """(site, item) → [(consumed, days in month, days out of stock)] of the
    last 3 complete months."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    months = complete_months(today)
    if months[-1][0] <= figures.last_complete_month():
        return figures.recorded(site_ids, months)
    return _monthly_live(site_ids, months, now)


def _monthly_live(site_ids, months, now) -> dict[tuple[int, int], list]:
    used = consumption(site_ids, months)
    out = stockout_days(site_ids, months, now=now)
    pairs = set(
        SiteItem.objects.filter(site_id__in=site_ids, stocked=True).values_list(
            "site_id", "item_id"
        )
    )
    pairs |= {(s, i) for s, i, _m in used}
    return {
        (site_id, item_id): [
            (
                used.get((site_id, item_id, index), 0),
                (m1 - m0).days,
                out.get((site_id, item_id, index), 0.0),
            )
            for index, (m0, m1) in enumerate(months)
        ]
        for site_id, item_id in pairs
    }


def on_order(site_ids) -> dict[tuple[int, int], int]:
    """(site, item) → ordered and not yet received (orders waiting, validated or sent)."""
    open_orders = list(
        Order.objects.filter(site_id__in=site_ids, status__in=OPEN_ORDER_STATUSES).values_list(
            "pk", flat=True
        )
    )
    if not open_orders:
        return {}
    ordered = (
        OrderLine.objects.filter(order_id__in=open_orders)
        .values("order__site_id", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    # Looked up by order (its index), never by scanning the site's ledger.
    received = (
        LedgerLine.objects.filter(order_id__in=open_orders, kind=Kind.RECEIPT)
        .values("site_id", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    got = {(r["site_id"], r["item_id"]): r["total"] for r in received}
    result = {}
    for row in ordered:
        key = (row["order__site_id"], row["item_id"])
        result[key] = max(0, row["total"] - got.get(key, 0))
    return result


def open_transfers(lines) -> list:
    """Of transfer-out lines (a queryset), those neither received nor cancelled.
    Corrections are left out in Python: filtering on them in SQL makes SQLite
    walk the index of ``reverses`` (NULL on almost every line)."""
    sent = [line for line in lines if line.reverses_id is None]
    if not sent:
        return []
    ids = [line.pk for line in sent]
    closed = set(
        LedgerLine.objects.filter(transfer_of_id__in=ids).values_list("transfer_of_id", flat=True)
    ) | set(LedgerLine.objects.filter(reverses_id__in=ids).values_list("reverses_id", flat=True))
    return [line for line in sent if line.pk not in closed]


def in_transit(site_ids) -> dict[tuple[int, int], int]:
    """(destination site, item) → sent by another site and not yet received
    (nor cancelled)."""
    lines = LedgerLine.objects.filter(other_site_id__in=site_ids, kind=Kind.TRANSFER_OUT).only(
        "pk", "other_site_id", "item_id", "quantity", "reverses_id"
    )
    result: dict[tuple[int, int], int] = {}
    for line in open_transfers(lines):
        key = (line.other_site_id, line.item_id)
        result[key] = result.get(key, 0) - line.quantity
    return result


@dataclass
class ItemStatus:
    site_item: SiteItem
    on_hand: int = 0
    amc: float | None = None
    on_order: int = 0
    in_transit: int = 0
    stockout_days: float = 0.0
    expiring: list = field(default_factory=list)  # (batch, on_hand) expiring within 3 months
    batches: list = field(default_factory=list)  # (batch, on_hand), first expiry first

    @property
    def item(self):
        return self.site_item.item

    @property
    def months_of_stock(self) -> float | None:
        if not self.amc:
            return None
        return self.on_hand / self.amc

    @property
    def stocked_out(self) -> bool:
        return self.on_hand <= 0

    @property
    def below_min(self) -> bool:
        if self.stocked_out:
            return True
        mos = self.months_of_stock
        return mos is not None and Decimal(str(mos)) < self.site_item.min_months

    @property
    def above_max(self) -> bool:
        mos = self.months_of_stock
        return mos is not None and Decimal(str(mos)) > self.site_item.max_months

    @property
    def suggestion(self) -> int:
        """Reorder: maximum (months × AMC) − stock on hand − quantity on order."""
        if not self.amc:
            return 0
        need = float(self.site_item.max_months) * self.amc - self.on_hand - self.on_order
        return max(0, math.ceil(need))

    @property
    def state(self) -> str:
        if self.stocked_out:
            return "stockout"
        if self.below_min:
            return "below"
        if self.above_max:
            return "above"
        return "ok"


def site_status(site, *, today: date | None = None, now: datetime | None = None) -> list:
    """Every item the site stocks, with its figures: the stock status page."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    rows = {
        si.item_id: ItemStatus(site_item=si)
        for si in SiteItem.objects.filter(site=site, stocked=True).select_related("item")
    }
    for balance in (
        Balance.objects.filter(site=site, on_hand__gt=0)
        .select_related("batch")
        .order_by("batch__expires_on", "batch_id")
    ):
        row = rows.get(balance.item_id)
        if row is None:
            continue
        row.on_hand += balance.on_hand
        row.batches.append((balance.batch, balance.on_hand))
        if balance.batch.expires_on <= add_months(today, EXPIRY_MONTHS):
            row.expiring.append((balance.batch, balance.on_hand))
    cells = monthly([site.pk], today, now)
    ordered = on_order([site.pk])
    transit = in_transit([site.pk])
    for item_id, row in rows.items():
        key = (site.pk, item_id)
        row.amc = adjusted_amc(cells.get(key, ()))
        row.on_order = ordered.get(key, 0)
        row.in_transit = transit.get(key, 0)
        row.stockout_days = sum(out for _used, _days, out in cells.get(key, ()))
    return sorted(rows.values(), key=lambda r: r.item.code)


def counts(site_ids, *, today: date | None = None) -> dict:
    """The alerts of the home page for these sites: items below minimum,
    stock-outs, batches expiring within 3 months."""
    today = today or timezone.localdate()
    below = stockouts = 0
    amc = amc_for(site_ids, today=today)
    totals = {
        (r["site_id"], r["item_id"]): r["total"]
        for r in Balance.objects.filter(site_id__in=site_ids)
        .values("site_id", "item_id")
        .annotate(total=Sum("on_hand"))
        .order_by()
    }
    for si in SiteItem.objects.filter(site_id__in=site_ids, stocked=True):
        key = (si.site_id, si.item_id)
        on_hand = totals.get(key, 0)
        if on_hand <= 0:
            stockouts += 1
            below += 1
        elif amc.get(key) and Decimal(str(on_hand / amc[key])) < si.min_months:
            below += 1
    expiring = Balance.objects.filter(
        site_id__in=site_ids,
        on_hand__gt=0,
        batch__expires_on__lte=add_months(today, EXPIRY_MONTHS),
    ).count()
    return {"below_min": below, "stockouts": stockouts, "expiring": expiring}


def stockout_days_total(site_ids, start: date, end: date, *, now: datetime | None = None) -> float:
    """Days out of stock, summed over the items of these sites, from ``start``
    to ``end`` (excluded): a MEAL figure."""
    now = now or timezone.now()
    return sum(stockout_days(site_ids, [(start, end)], now=now).values())


def expiry_horizon(today: date) -> date:
    return add_months(today, EXPIRY_MONTHS)
