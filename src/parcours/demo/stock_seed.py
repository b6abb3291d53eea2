"""Demo pharmacy: the catalogue of demo/data/stock_items.yaml, stocked at the
mobile clinics of Calais and Dunkerque with twelve months of ledger history
(receipts, dispensings, some of them from the demo's consultations, outreach
distributions, a few losses and inventory counts, stock-outs when a delivery
came late), and two medical orders. Written in bulk (it never goes below zero:
the history is simulated batch by batch, first expiry first), then the kept
balances and stock-out periods are derived from the ledger."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.care.models import Encounter
from parcours.demo.data import load
from parcours.org.models import Project, Site
from parcours.stock import figures, ledger, orders
from parcours.stock.models import Batch, Item, Kind, LedgerLine, LossReason, SiteItem

# Site name → share of the project's consumption.
STOCK_SITES = {
    "CAL": {
        "Clinique mobile – Calais, zone des Dunes": 1.0,
        "Clinique mobile – Marck": 0.4,
    },
    "DUN": {
        "Clinique mobile – camp de Loon-Plage": 1.0,
        "Clinique mobile – Grande-Synthe (Puythouck)": 0.5,
    },
}
# Items handed out in consultations, with a typical quantity per patient.
PER_PATIENT = {
    "DORAPARA5T": 12,
    "DORAIBUP4T": 10,
    "DEXTPERM5C": 1,
    "DORAIVER3T": 4,
    "DORAAMOX5C": 21,
    "DORAORSA1S": 4,
    "SDRECOMP1P": 5,
    "DORACETI1T": 7,
}
OUTREACH = {"KHYGKITH1K", "KHYGKITF1K", "SMSUTHER1B"}
CLINIC_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday
HISTORY_DAYS = 365
LOGISTICS = "demo-logistique"


@dataclass
class Sim:
    """One item at one site: its batches in stock, first expiry first."""

    site: Site
    item: Item
    monthly: float
    batches: list  # [Batch, quantity]

    @property
    def on_hand(self) -> int:
        return sum(q for _b, q in self.batches)

    def take(self, quantity: int) -> list[tuple[Batch, int]]:
        taken = []
        for entry in self.batches:
            if quantity <= 0:
                break
            part = min(entry[1], quantity)
            if part:
                taken.append((entry[0], part))
                entry[1] -= part
                quantity -= part
        self.batches = [e for e in self.batches if e[1] > 0]
        return taken


def _at(day: date, rng: Random, hour: int = 9) -> datetime:
    moment = datetime.combine(day, time(hour)) + timedelta(minutes=rng.randrange(0, 8 * 60))
    return timezone.make_aware(moment)


def _catalogue() -> list[Item]:
    rows = load("stock_items")["items"]
    existing = set(Item.objects.values_list("code", flat=True))
    Item.objects.bulk_create(
        [
            Item(
                code=code,
                name_fr=fr,
                name_en=en,
                form=form,
                strength=strength or "",
                unit=unit,
                therapeutic_class=klass,
                controlled="C" in flags,
                cold_chain="F" in flags,
            )
            for code, fr, en, form, strength, unit, klass, _monthly, flags in rows
            if code not in existing
        ]
    )
    return rows


def seed_stock(projects: dict[str, Project], *, today: date, seed: int = 14) -> int:
    """Seed the demo pharmacy once; the number of ledger lines written."""
    if LedgerLine.objects.exists():
        return 0
    rng = Random(f"{seed}:stock")
    rows = _catalogue()
    items = {item.code: item for item in Item.objects.all()}
    logistics = User.objects.get(username=LOGISTICS)
    sites = []
    for code, names in STOCK_SITES.items():
        for name, share in names.items():
            site = Site.objects.filter(project=projects[code], name=name).first()
            if site is not None:
                sites.append((code, site, share))
    start = today - timedelta(days=HISTORY_DAYS)
    lines: list[LedgerLine] = []
    site_items: list[SiteItem] = []
    batch_seq = 0

    def new_batch(item, day, months) -> Batch:
        nonlocal batch_seq
        batch_seq += 1
        expiry = day + timedelta(days=int(months * 30.4))
        return Batch(
            item=item, number=f"{item.code[4:8]}{day:%y%m}{batch_seq:04d}", expires_on=expiry
        )

    encounters = _consultations([s for _c, s, _sh in sites], today)
    planned: list[Sim] = []
    for project_code, site, share in sites:
        for code, *_rest, monthly, flags in rows:
            if ("D" in flags and project_code != "DUN") or ("K" in flags and project_code != "CAL"):
                continue
            item = items[code]
            high = 4 if item.cold_chain or code.startswith("KMED") else 3
            site_items.append(SiteItem(site=site, item=item, min_months=1, max_months=high))
            sim = Sim(site, item, max(1.0, monthly * share * rng.uniform(0.7, 1.3)), [])
            planned.append(sim)
    SiteItem.objects.bulk_create(site_items)
    # Simulate day by day; batches are created in memory first, saved, then
    # the lines point to them.
    pending_batches: list[tuple[Batch, list]] = []
    events: list[tuple] = []
    for sim in planned:
        late_months = {rng.randrange(2, 12)} if rng.random() < 0.25 else set()
        gone_now = rng.random() < 0.04  # out of stock today: the last delivery never came
        expiring_now = rng.random() < 0.1
        day = start
        month_index = 0
        while day < today:
            if day.day == 1 or day == start:
                due = (
                    day + timedelta(days=rng.randrange(8, 25))
                    if month_index in late_months
                    else day
                )
                month_index += 1
                last_month = (today - day).days < 31
                if not (gone_now and last_month) and sim.on_hand < 2 * sim.monthly:
                    quantity = max(1, round(3 * sim.monthly - sim.on_hand))
                    months = (
                        rng.uniform(1.5, 2.5)
                        if expiring_now and last_month
                        else rng.uniform(12, 30)
                    )
                    batch = new_batch(sim.item, due, months)
                    entry = [batch, quantity]
                    pending_batches.append((batch, entry))
                    sim.batches.append(entry)
                    sim.batches.sort(key=lambda e: e[0].expires_on)
                    events.append((sim, due, Kind.RECEIPT, [(batch, quantity)], {}))
            if day.day == 15 and sim.batches and rng.random() < 0.06:
                # Damaged in the van, or found spoilt: thrown away.
                taken = sim.take(rng.randrange(1, 4))
                reason = LossReason.DAMAGED if rng.random() < 0.8 else LossReason.STOLEN
                events.append((sim, day, Kind.LOSS, taken, {"loss_reason": reason}))
            if day.weekday() in CLINIC_WEEKDAYS:
                need = max(0, round(rng.gauss(sim.monthly / 13, sim.monthly / 40)))
                for encounter_id in encounters.get((sim.site.pk, sim.item.code, day), ()):
                    quantity = PER_PATIENT[sim.item.code]
                    taken = sim.take(quantity)
                    if taken:
                        events.append(
                            (sim, day, Kind.DISPENSING, taken, {"encounter_id": encounter_id})
                        )
                    need = max(0, need - quantity)
                if need:
                    kind = Kind.DISTRIBUTION if sim.item.code in OUTREACH else Kind.DISPENSING
                    taken = sim.take(need)
                    if taken:
                        extra = (
                            {"people_count": sum(q for _b, q in taken)}
                            if kind == Kind.DISTRIBUTION
                            else {}
                        )
                        events.append((sim, day, kind, taken, extra))
            # Expired batches are thrown away as losses.
            for entry in list(sim.batches):
                if entry[0].expires_on <= day and entry[1] > 0:
                    events.append(
                        (
                            sim,
                            day,
                            Kind.LOSS,
                            [(entry[0], entry[1])],
                            {"loss_reason": LossReason.EXPIRED},
                        )
                    )
                    entry[1] = 0
            sim.batches = [e for e in sim.batches if e[1] > 0]
            day += timedelta(days=1)
        # A count at the end of each quarter found a small difference sometimes.
        if sim.batches and rng.random() < 0.15:
            entry = sim.batches[0]
            found = max(0, entry[1] - rng.randrange(1, 4))
            events.append(
                (
                    sim,
                    today - timedelta(days=rng.randrange(2, 20)),
                    Kind.ADJUSTMENT,
                    [(entry[0], found - entry[1])],
                    {"counted": found, "counter_name": "Karim Benali"},
                )
            )
            entry[1] = found
    Batch.objects.bulk_create([b for b, _e in pending_batches], batch_size=2000)
    authors = dict(
        Encounter.objects.filter(
            pk__in=[e for ids in encounters.values() for e in ids]
        ).values_list("pk", "author_id")
    )
    for sim, day, kind, taken, extra in events:
        sign = 1 if kind in (Kind.RECEIPT,) else -1
        for batch, quantity in taken:
            if kind == Kind.ADJUSTMENT:
                quantity, sign = quantity, 1
            author_id = authors.get(extra.get("encounter_id"), logistics.pk)
            lines.append(
                LedgerLine(
                    site=sim.site,
                    item=sim.item,
                    batch=batch,
                    kind=kind,
                    quantity=sign * quantity,
                    occurred_at=_at(day, rng),
                    author_id=author_id,
                    supplier="MSF Supply (Bordeaux)" if kind == Kind.RECEIPT else "",
                    **extra,
                )
            )
    with transaction.atomic():
        LedgerLine.objects.bulk_create(lines, batch_size=2000)
        ledger.rebuild_derived([s.pk for _c, s, _sh in sites])
        # The monthly figures of the MEAL indicators (stock-out days, items below minimum).
        figures.months_record([s.pk for _c, s, _sh in sites], today=today)
    _orders(sites, logistics)
    return len(lines)


def _consultations(sites, today) -> dict:
    """(site, item code, day) → the demo consultations of the last 60 days at
    these sites, each given one common item."""
    rng = Random("stock:consultations")
    found: dict = {}
    rows = Encounter.objects.filter(
        discipline="medical",
        site__in=sites,
        person__isnull=False,
        occurred_at__gte=timezone.make_aware(datetime.combine(today - timedelta(days=60), time())),
    ).values_list("pk", "site_id", "occurred_at")
    codes = list(PER_PATIENT)
    for pk, site_id, occurred in rows:
        day = timezone.localdate(occurred)
        while day.weekday() not in CLINIC_WEEKDAYS:
            day -= timedelta(days=1)
        found.setdefault((site_id, rng.choice(codes), day), []).append(pk)
    return found


def _orders(sites, logistics) -> None:
    """One order waiting for the referent's validation per project's main site."""
    for _code, site, share in sites:
        if share < 1:
            continue
        try:
            order = orders.order_create(actor=logistics, site=site)
        except ValidationError:  # nothing to suggest there
            continue
        orders.order_set_status(
            actor=logistics, order_id=order.pk, version=order.version, status="waiting"
        )
