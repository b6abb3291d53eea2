"""Pharmacy stock at volume: 80 items, 5 sites, 1,000,000 ledger lines.

    uv run python bench/stock.py [--lines 1000000] [--requests 100] [--warmup 10]

Uses its own database (var/bench_stock.sqlite3, or DATABASE_URL when set),
migrated, then filled once with a catalogue of 80 items stocked at 5 sites
and ``--lines`` ledger lines over three years (monthly receipts, daily
dispensings and distributions, transfers, losses, counts; stock-outs when a
delivery is late), written in bulk and never below zero; the kept balances
and stock-out periods are then derived from the ledger, and checked.
Later runs reuse the data. Times, in one process:

- stock on hand of all items of a site: from the kept balances (what the
  pages use) and summed from the ledger itself;
- the stock status page ``GET /stock/site/<id>/`` through the real stack
  (routing, middleware, session, access checks), signed in as
  ``bench-logistique``, and the API ``GET /api/v1/stock?site=<id>``;
- the average monthly consumption of every item of every site (3 complete
  months, days out of stock excluded);
- ``GET /health/`` as the baseline.

Ends with one JSON line: {"ledger_lines": N, "stock_status_p95_ms": …,
"amc_all_items_ms": …, …}.
"""

import argparse
import json
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta

from common import ROOT, measure, print_results, setup_django, summary, timed

SITES = 5
ITEMS = 80
USER = "bench-logistique"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100, help="requests per measurement")
    parser.add_argument("--warmup", type=int, default=10, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _organisation():
    from parcours.accounts.models import Membership, User
    from parcours.org.models import Mission, Project, Site

    mission, _ = Mission.objects.get_or_create(name="Bench", defaults={"country": "FR"})
    project, _ = Project.objects.get_or_create(
        mission=mission, name="Bench stock", defaults={"code": "BST"}
    )
    sites = [
        Site.objects.get_or_create(project=project, name=f"Pharmacie {n + 1}")[0]
        for n in range(SITES)
    ]
    user, created = User.objects.get_or_create(username=USER)
    if created:
        user.set_password("bench")
        user.save()
    Membership.objects.get_or_create(user=user, project=project, role="logistics")
    return user, sites


def fill(lines: int, seed: int, sites) -> int:
    """The catalogue, the site settings and ``lines`` ledger lines (once)."""
    from django.db import connection, transaction
    from django.utils import timezone as tz

    from parcours.accounts.models import User
    from parcours.stock import figures, ledger
    from parcours.stock.models import Batch, Item, LedgerLine, SiteItem

    have = LedgerLine.objects.filter(site__in=sites).count()
    if have >= lines:
        return have
    if have:
        raise SystemExit(
            f"{have:,} lines already, fewer than {lines:,}: remove {ROOT / 'var'}/bench_stock.sqlite3"
        )
    rng = random.Random(seed)
    started = time.perf_counter()
    items = [
        Item.objects.get_or_create(
            code=f"BENCH{n:04d}",
            defaults={
                "name_fr": f"Article {n}",
                "name_en": f"Item {n}",
                "form": "tablet",
                "unit": "tablet",
            },
        )[0]
        for n in range(ITEMS)
    ]
    SiteItem.objects.bulk_create(
        [SiteItem(site=s, item=i) for s in sites for i in items], ignore_conflicts=True
    )
    author = User.objects.get(username=USER)
    pairs = [(s, i) for s in sites for i in items]
    # Dispensings that find the shelf empty (late deliveries) are not
    # written: plan a few more so that at least ``lines`` are.
    per_pair = int(lines * 1.07) // len(pairs)
    today = date.today()
    start = today - timedelta(days=3 * 365)
    span = (today - start).days
    table = LedgerLine._meta.db_table
    columns = (
        "site_id, item_id, batch_id, kind, quantity, occurred_at, recorded_at, author_id, "
        "supplier, people_count, loss_reason, counter_name, note"
    )
    # Our own table and column names; every value is a parameter.
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 13)})"  # noqa: S608
    written = 0
    now = tz.now()
    with transaction.atomic():
        for pair_index, (site, item) in enumerate(pairs):
            # ~36 receipts (one a month) and the rest dispensings, spread over 3 years.
            receipts = 36
            outs = per_pair - receipts
            monthly_use = outs * 3 / 36
            batches = []
            for month in range(receipts):
                day = start + timedelta(days=month * span // receipts)
                batches.append(
                    Batch(
                        item=item,
                        number=f"B{site.pk}-{month:02d}-{pair_index}",
                        expires_on=day + timedelta(days=rng.randrange(400, 900)),
                    )
                )
            Batch.objects.bulk_create(batches)
            events = []
            for month, batch in enumerate(batches):
                day = start + timedelta(days=month * span // receipts)
                if rng.random() < 0.15:
                    day += timedelta(days=rng.randrange(5, 20))  # late: a stock-out before
                events.append((day, 0, batch, int(monthly_use * rng.uniform(0.8, 1.1))))
            for n in range(outs):
                day = start + timedelta(days=1 + n * (span - 1) // outs)
                events.append((day, 1, None, rng.randrange(1, 6)))
            events.sort(key=lambda e: (e[0], e[1]))
            stock = []  # [batch, quantity], oldest first
            rows = []
            for day, out, batch, quantity in events:
                at = tz.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                    minutes=rng.randrange(480, 1080)
                )
                if not out:
                    stock.append([batch, quantity])
                    rows.append(
                        (
                            site.pk,
                            item.pk,
                            batch.pk,
                            "receipt",
                            quantity,
                            at,
                            now,
                            author.pk,
                            "Bench supply",
                            None,
                            "",
                            "",
                            "",
                        )
                    )
                    continue
                while quantity and stock:
                    entry = stock[0]
                    part = min(entry[1], quantity)
                    kind = "distribution" if pair_index % 20 == 0 else "dispensing"
                    rows.append(
                        (
                            site.pk,
                            item.pk,
                            entry[0].pk,
                            kind,
                            -part,
                            at,
                            now,
                            author.pk,
                            "",
                            part if kind == "distribution" else None,
                            "",
                            "",
                            "",
                        )
                    )
                    entry[1] -= part
                    quantity -= part
                    if not entry[1]:
                        stock.pop(0)
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
            written += len(rows)
            if pair_index % 50 == 0:
                print(
                    f"  generating: {written:,} lines ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
        print("  deriving balances and stock-out periods from the ledger…", flush=True)
        ledger.rebuild_derived([s.pk for s in sites])
        figures.months_record([s.pk for s in sites])
    problems = ledger.check_derived([s.pk for s in sites])
    if problems:
        raise SystemExit(f"kept tables differ from the ledger: {problems[:3]}")
    print(f"  {written:,} lines in {time.perf_counter() - started:.0f} s", flush=True)
    return LedgerLine.objects.filter(site__in=sites).count()


def main() -> None:
    args = parse_args()
    os.environ.setdefault("PARCOURS_SQLITE_PATH", str(ROOT / "var" / "bench_stock.sqlite3"))
    setup_django()
    from django.core.management import call_command
    from django.db.models import Sum
    from django.test import Client

    from parcours.accounts.models import ApiToken
    from parcours.stock import figures, planning
    from parcours.stock.models import Balance, LedgerLine

    call_command("migrate", interactive=False, verbosity=0)
    user, sites = _organisation()
    count = fill(args.lines, args.seed, sites)
    print(f"{count:,} ledger lines, {ITEMS} items, {SITES} sites")
    # The complete months the AMC reads (written once a month is over).
    started = time.perf_counter()
    written = figures.months_record([s.pk for s in sites])
    print(f"{written:,} item-months recorded in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(user)
    _token, raw = ApiToken.issue(user)
    rng = random.Random(args.seed)

    def site():
        return rng.choice(sites)

    def plain(function):
        def call():
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

        return call

    cases = {
        "trivial": ("GET /health/", lambda: timed(client, "/health/")),
        "on_hand": (
            "stock on hand of a site (kept balances)",
            plain(
                lambda: list(
                    Balance.objects.filter(site=site()).values("item_id").annotate(t=Sum("on_hand"))
                )
            ),
        ),
        "on_hand_ledger": (
            "stock on hand of a site (summed ledger)",
            plain(
                lambda: list(
                    LedgerLine.objects.filter(site=site())
                    .values("item_id")
                    .annotate(t=Sum("quantity"))
                    .order_by()
                )
            ),
        ),
        "stock_status": (
            "GET /stock/site/<id>/ (status page)",
            lambda: timed(client, f"/stock/site/{site().pk}/"),
        ),
        "stock_api": (
            "GET /api/v1/stock?site=<id>",
            lambda: timed(
                client,
                "/api/v1/stock",
                {"site": site().pk},
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            ),
        ),
    }
    results = {}
    for key, (label, call) in cases.items():
        print(f"measuring {label}…", flush=True)
        requests = args.requests if key != "on_hand_ledger" else max(10, args.requests // 5)
        results[key] = measure(requests, args.warmup if key != "on_hand_ledger" else 2, call)
    print_results(cases, results)
    amc_runs = []
    for _ in range(5):
        started = time.perf_counter()
        amc = planning.amc_for([s.pk for s in sites])
        amc_runs.append((time.perf_counter() - started) * 1000)
    amc_ms = statistics.median(amc_runs)
    print(f"AMC of all {len(amc)} items × sites: median {amc_ms:.1f} ms (5 runs)")
    line = summary(results, ledger_lines=count)
    line = {
        "ledger_lines": count,
        "stock_status_p95_ms": line["stock_status_p95_ms"],
        "amc_all_items_ms": round(amc_ms, 1),
        **line,
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
