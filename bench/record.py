"""Care record at volume: the person page and the record API through the real stack.

    uv run python bench/record.py --persons 100000 --encounters 1000000 [--requests 300]

Uses the benchmark database (var/bench.sqlite3, or DATABASE_URL when set),
tops it up to --persons invented persons and --encounters encounters with
the ``generate`` code (the first million encounters take a few minutes,
later runs reuse them), then times, in one process, through URL routing,
middleware, sessions or bearer tokens and the access checks:

- the person page ``GET /people/<id>/``, which renders the whole care
  timeline, signed in as ``bench-medecin`` (medical role in every French
  project: medical entries in full, the other disciplines' team notes where
  the person consented, hidden counts otherwise);
- the record API ``GET /api/v1/persons/<id>/record`` with a Bearer token of
  the same user;
- the trivial view ``GET /health/`` as the baseline.

Persons are drawn among those the user sees that have encounters; the
heaviest records (top 1 % by encounters) are measured apart. Ends with one
JSON line for CI to keep.
"""

import argparse
import json
import random
import statistics

from common import (
    bench_user,
    measure,
    p95,
    prepare_dataset,
    print_results,
    setup_django,
    summary,
    timed,
)

BENCH_USER = "bench-medecin"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--warmup", type=int, default=30, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def prepare(persons: int, encounters: int):
    """Migrated database with the data set, the benchmark user and an API token."""
    persons, encounters = prepare_dataset(persons, encounters)
    user, raw, projects = bench_user(BENCH_USER, "Médecin", "medical")
    return user, raw, projects, persons, encounters


class Sampler:
    """Persons whose record a clinician opens: seen in the user's projects, with care."""

    def __init__(self, rng: random.Random, projects):
        from django.db.models import Count

        from parcours.care.models import Encounter
        from parcours.people.models import Enrolment

        self.rng = rng
        visible = Enrolment.objects.filter(project__in=projects).values("person_id")
        counts = dict(
            Encounter.objects.filter(person_id__in=visible)
            .values_list("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        )
        self.person_ids = sorted(counts)
        self.counts = counts
        heaviest = sorted(self.person_ids, key=lambda pk: counts[pk], reverse=True)
        self.heavy_ids = heaviest[: max(1, len(heaviest) // 100)]

    def person_id(self) -> int:
        return self.rng.choice(self.person_ids)

    def heavy_id(self) -> int:
        return self.rng.choice(self.heavy_ids)

    def describe(self) -> str:
        values = sorted(self.counts.values())
        heavy = [self.counts[pk] for pk in self.heavy_ids]
        return (
            f"encounters per person: median {statistics.median(values):.0f}, "
            f"p95 {p95(values):.0f}, max {values[-1]}; top 1 % from {min(heavy)}"
        )


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    user, token, projects, persons, encounters = prepare(args.persons, args.encounters)
    sampler = Sampler(random.Random(args.seed), projects)
    page = Client()
    page.force_login(user)
    api = Client()
    bearer = {"headers": {"authorization": f"Bearer {token}"}}
    print(
        f"\n{persons:,} persons, {encounters:,} encounters; {BENCH_USER} (medical in "
        f"{', '.join(p.code for p in projects)}) sees {len(sampler.person_ids):,} persons "
        f"with care; {sampler.describe()}.\nDatabase: {connection.vendor}. "
        f"{args.requests} requests per measurement after {args.warmup} warm-up requests.\n"
    )
    # key in the JSON line → (label, one timed request)
    cases = {
        "trivial": ("trivial GET /health/", lambda: timed(page, "/health/")),
        "record_page": (
            "person page GET /people/<id>/",
            lambda: timed(page, f"/people/{sampler.person_id()}/"),
        ),
        "record_api": (
            "record API GET /api/v1/persons/<id>/record",
            lambda: timed(api, f"/api/v1/persons/{sampler.person_id()}/record", **bearer),
        ),
        "record_page_heavy": (
            "person page, heaviest 1 % of records",
            lambda: timed(page, f"/people/{sampler.heavy_id()}/"),
        ),
        "record_api_heavy": (
            "record API, heaviest 1 % of records",
            lambda: timed(api, f"/api/v1/persons/{sampler.heavy_id()}/record", **bearer),
        ),
    }
    results = {key: measure(args.requests, args.warmup, call) for key, (_l, call) in cases.items()}
    print_results(cases, results)
    print(json.dumps(summary(results, persons=persons, encounters=encounters)))


if __name__ == "__main__":
    main()
