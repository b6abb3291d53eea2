"""The ledger's write primitive and what is derived from it.

Every movement goes through ``post``: it locks the (site, item) rows it
touches (``SiteItem``, ``select_for_update``, in a fixed order so that two
writers never wait on each other in a cycle), refuses a batch going below
zero, writes the lines, and keeps ``Balance`` and ``StockOut`` current in the
same transaction (and forgets the recorded months a back-dated line
changes). ``check_derived`` recomputes them all from the ledger alone.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.stock import figures
from parcours.stock.models import Balance, Item, LedgerLine, SiteItem, StockMonth, StockOut


@dataclass
class Locked:
    """The (site, item) rows locked for one movement, with their stock now."""

    rows: dict[tuple[int, int], SiteItem] = field(default_factory=dict)

    def site_item(self, site_id: int, item_id: int) -> SiteItem:
        return self.rows[(site_id, item_id)]


def lock(pairs, *, field_name: str = "item") -> Locked:
    """Lock the (site id, item id) pairs, or refuse an item the site does not stock."""
    locked = Locked()
    for site_id, item_id in sorted(set(pairs)):
        row = (
            SiteItem.objects.select_for_update(of=("self",))
            .filter(site_id=site_id, item_id=item_id, stocked=True)
            .select_related("item", "site")
            .first()
        )
        if row is None:
            item = Item.objects.filter(pk=item_id).first()
            raise ValidationError(
                {
                    field_name: [
                        _("This site does not stock %(item)s.")
                        % {"item": item.code if item else item_id}
                    ]
                }
            )
        locked.rows[(site_id, item_id)] = row
    return locked


def batch_on_hand(site_id: int, batch_id: int) -> int:
    row = Balance.objects.filter(site_id=site_id, batch_id=batch_id).first()
    return row.on_hand if row else 0


def item_on_hand(site_id: int, item_id: int) -> int:
    total = Balance.objects.filter(site_id=site_id, item_id=item_id).aggregate(t=Sum("on_hand"))
    return total["t"] or 0


def post(lines: list[LedgerLine], *, field_name: str = "quantity") -> list[LedgerLine]:
    """Write ledger lines (site, item and batch already checked by the caller,
    the pairs already locked by ``lock``) and keep the derived tables. A
    batch that would go below zero refuses the whole movement, naming what
    is in stock."""
    before: dict[tuple[int, int], int] = {}
    for line in lines:
        key = (line.site_id, line.item_id)
        if key not in before:
            before[key] = item_on_hand(*key)
    deltas: dict[tuple[int, int, int], int] = defaultdict(int)
    for line in lines:
        deltas[(line.site_id, line.item_id, line.batch_id)] += line.quantity
    for (site_id, item_id, batch_id), delta in deltas.items():
        balance, _created = Balance.objects.get_or_create(
            site_id=site_id, item_id=item_id, batch_id=batch_id
        )
        if balance.on_hand + delta < 0:
            batch = balance.batch
            raise ValidationError(
                {
                    field_name: [
                        _(
                            "Not enough in stock: %(available)s %(unit)s of batch %(batch)s "
                            "(%(item)s) at this site, %(total)s in all its batches."
                        )
                        % {
                            "available": balance.on_hand,
                            "unit": batch.item.unit,
                            "batch": batch.number,
                            "item": batch.item.code,
                            "total": item_on_hand(site_id, item_id),
                        }
                    ]
                }
            )
        Balance.objects.filter(pk=balance.pk).update(on_hand=balance.on_hand + delta)
    latest = {
        key: LedgerLine.objects.filter(site_id=key[0], item_id=key[1]).aggregate(
            at=Max("occurred_at")
        )["at"]
        for key in before
    }
    written = LedgerLine.objects.bulk_create(lines)
    for key, was in before.items():
        at = max(line.occurred_at for line in lines if (line.site_id, line.item_id) == key)
        if latest[key] is not None and at < latest[key]:
            # A back-dated movement: the periods out of stock are worked out again.
            rebuild_stock_outs(*key)
        else:
            _follow_stock_out(key, was, item_on_hand(*key), at)
    _forget_months(lines)
    return written


def _forget_months(lines: list[LedgerLine]) -> None:
    """The monthly MEAL figures (``StockMonth``) are written once a month is
    over: a movement dated in a past month makes them stale from that month
    on (``stock.figures.months_record`` writes them again)."""
    this_month = timezone.localdate().replace(day=1)
    earliest: dict[int, object] = {}
    for line in lines:
        day = timezone.localdate(line.occurred_at).replace(day=1)
        if day < this_month and day < earliest.get(line.site_id, this_month):
            earliest[line.site_id] = day
    for site_id, day in earliest.items():
        since = timezone.make_aware(datetime.combine(day, time.min))
        StockMonth.objects.filter(site_id=site_id, month__gte=since).delete()


def _follow_stock_out(key, was: int, now: int, at: datetime) -> None:
    site_id, item_id = key
    if was > 0 and now == 0:
        StockOut.objects.create(site_id=site_id, item_id=item_id, started_at=at)
    elif was == 0 and now > 0:
        StockOut.objects.filter(site_id=site_id, item_id=item_id, ended_at__isnull=True).update(
            ended_at=at
        )


def stock_outs_from_ledger(site_id: int, item_id: int) -> list[tuple[datetime, datetime | None]]:
    """The periods with none of the item at the site, walking its ledger in time
    order (a period starts when the stock reaches zero after having been
    above it)."""
    periods = []
    total = 0
    start = None
    rows = (
        LedgerLine.objects.filter(site_id=site_id, item_id=item_id)
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "quantity")
    )
    for at, quantity in rows.iterator(chunk_size=5000):
        was, total = total, total + quantity
        if was > 0 and total <= 0:
            start = at
        elif was <= 0 and total > 0 and start is not None:
            periods.append((start, at))
            start = None
    if start is not None:
        periods.append((start, None))
    return periods


def rebuild_stock_outs(site_id: int, item_id: int) -> None:
    StockOut.objects.filter(site_id=site_id, item_id=item_id).delete()
    StockOut.objects.bulk_create(
        [
            StockOut(site_id=site_id, item_id=item_id, started_at=start, ended_at=end)
            for start, end in stock_outs_from_ledger(site_id, item_id)
        ]
    )


def rebuild_derived(site_ids=None) -> None:
    """Recompute balances and stock-outs from the ledger (after a bulk load)."""
    lines = LedgerLine.objects.all()
    balances = Balance.objects.all()
    outs = StockOut.objects.all()
    if site_ids is not None:
        lines = lines.filter(site_id__in=site_ids)
        balances = balances.filter(site_id__in=site_ids)
        outs = outs.filter(site_id__in=site_ids)
    balances.delete()
    outs.delete()
    months = StockMonth.objects.all()
    if site_ids is not None:
        months = months.filter(site_id__in=site_ids)
    months.delete()
    sums = lines.values("site_id", "item_id", "batch_id").annotate(total=Sum("quantity")).order_by()
    Balance.objects.bulk_create(
        [
            Balance(
                site_id=r["site_id"],
                item_id=r["item_id"],
                batch_id=r["batch_id"],
                on_hand=r["total"],
            )
            for r in sums
        ],
        batch_size=2000,
    )
    for site_id, item_id in lines.values_list("site_id", "item_id").order_by().distinct():
        rebuild_stock_outs(site_id, item_id)


def check_derived(site_ids=None) -> list[str]:
    """Differences between the maintained tables and the ledger (none: they agree)."""
    lines = LedgerLine.objects.all()
    balances = Balance.objects.all()
    if site_ids is not None:
        lines = lines.filter(site_id__in=site_ids)
        balances = balances.filter(site_id__in=site_ids)
    from_ledger = {
        (r["site_id"], r["item_id"], r["batch_id"]): r["total"]
        for r in lines.values("site_id", "item_id", "batch_id").annotate(total=Sum("quantity"))
    }
    kept = {
        (b.site_id, b.item_id, b.batch_id): b.on_hand
        for b in balances.only("site_id", "item_id", "batch_id", "on_hand")
    }
    problems = []
    for key in sorted(set(from_ledger) | set(kept)):
        if from_ledger.get(key, 0) != kept.get(key, 0):
            problems.append(
                f"balance {key}: ledger {from_ledger.get(key, 0)}, kept {kept.get(key, 0)}"
            )
    for site_id, item_id in lines.values_list("site_id", "item_id").order_by().distinct():
        expected = stock_outs_from_ledger(site_id, item_id)
        actual = list(
            StockOut.objects.filter(site_id=site_id, item_id=item_id)
            .order_by("started_at", "id")
            .values_list("started_at", "ended_at")
        )
        if expected != actual:
            problems.append(f"stock-outs ({site_id}, {item_id}) differ from the ledger")
    # The recorded months (AMC, MEAL), against the ledger and these periods.
    return problems + figures.check(site_ids)
