"""People registry at volume: search, person page and list timings through the real stack.

    uv run python bench/people.py --persons 100000 [--requests 300] [--seed N]

Uses its own database (var/bench.sqlite3, or DATABASE_URL when set), tops it
up to --persons invented persons with the ``generate`` code, then times
requests through URL routing, middleware, sessions and access checks with
Django's test client, signed in as a reception worker of every French
project (IDF, CAL, DUN, MRS), so that searches span the whole French
caseload (~92 % of the persons; the rest are in the suspended Libyan project).
Ends with one JSON line for CI to keep.
"""

import argparse
import json
import random

from common import measure, print_results, setup_django, summary, timed

BENCH_USER = "bench-reception"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--warmup", type=int, default=30, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def prepare(persons: int):
    """Migrated database with ``persons`` persons and the benchmark user."""
    from django.core.management import call_command

    from parcours.accounts.models import Membership, User
    from parcours.demo.generate import top_up
    from parcours.demo.organisation import FRENCH_PROJECTS
    from parcours.org.models import Project

    call_command("migrate", interactive=False, verbosity=0)

    def progress(done: int, target: int, seconds: float) -> None:
        print(f"  generating: {done:,} / {target:,} persons ({seconds:.0f} s)", flush=True)

    report = top_up(persons, progress=progress)
    if report.after != report.before:
        print(f"generated {report.after - report.before:,} persons in {report.seconds:.1f} s")
    user, _created = User.objects.get_or_create(username=BENCH_USER)
    projects = list(Project.objects.filter(code__in=FRENCH_PROJECTS))
    for project in projects:
        Membership.objects.get_or_create(user=user, project=project, role="reception")
    return user, projects, report.after


class Sampler:
    """What a reception worker types and opens, drawn from the data itself."""

    def __init__(self, rng: random.Random, projects):
        from parcours.people.models import Enrolment, Person

        self.rng = rng
        self.projects = projects
        visible = Enrolment.objects.filter(project__in=projects).values("person_id")
        self.visible_ids = list(Person.objects.filter(pk__in=visible).values_list("pk", flat=True))
        sample = rng.sample(self.visible_ids, min(3000, len(self.visible_ids)))
        self.people = list(
            Person.objects.filter(pk__in=sample).values_list(
                "given_name", "family_name", "name_original", "nationality"
            )
        )
        self.active_ids = list(
            Person.objects.filter(pk__in=visible, is_active=True).values_list("pk", flat=True)
        )

    def query(self) -> str:
        from parcours.demo.names import NATIONALITIES

        given, family, original, nationality = self.rng.choice(self.people)
        roll = self.rng.random()
        if roll < 0.25 and original:
            # In the person's own script: Arabic, Persian, Ge'ez…
            return original if self.rng.random() < 0.5 else original.split()[0]
        if roll < 0.40:
            pool = NATIONALITIES[nationality].male + NATIONALITIES[nationality].female
            name = self.rng.choice(pool)
            return self.rng.choice(name.spellings)  # a spelling variant typed by ear
        if roll < 0.65:
            return f"{given} {family}"
        if roll < 0.85:
            return given
        return family or given

    def person_id(self) -> int:
        return self.rng.choice(self.visible_ids)

    def list_params(self, filtered: bool) -> dict:
        if not filtered:
            # A random deep page: the list paged by key, starting after a random person.
            return {"after": self.rng.choice(self.active_ids)}
        choice = self.rng.choice(
            [
                {"sex": "female"},
                {"age_group": "15-17"},
                {"nationality": self.rng.choice(["AF", "SD", "ER", "IQ", "GN"])},
                {"project": self.rng.choice(self.projects).pk},
                {"flag": "shipwreck"},
            ]
        )
        return choice


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    user, projects, total = prepare(args.persons)
    sampler = Sampler(random.Random(args.seed), projects)
    client = Client()
    client.force_login(user)
    print(
        f"\n{total:,} persons; {BENCH_USER} (reception in {', '.join(p.code for p in projects)}) "
        f"sees {len(sampler.visible_ids):,}. Database: {connection.vendor}. "
        f"{args.requests} requests per measurement after {args.warmup} warm-up requests.\n"
    )
    # key in the JSON line → (label, one timed request)
    cases = {
        "trivial": ("trivial GET /health/", lambda: timed(client, "/health/")),
        "search": (
            "search GET /people/?q=…",
            lambda: timed(client, "/people/", {"q": sampler.query()}),
        ),
        "person_page": (
            "person page GET /people/<id>/",
            lambda: timed(client, f"/people/{sampler.person_id()}/"),
        ),
        "list_first": (
            "list, first page GET /people/",
            lambda: timed(client, "/people/"),
        ),
        "list": (
            "list, random deep page GET /people/?after=…",
            lambda: timed(client, "/people/", sampler.list_params(filtered=False)),
        ),
        "list_filtered": (
            "filtered list GET /people/?<filter>",
            lambda: timed(client, "/people/", sampler.list_params(filtered=True)),
        ),
    }
    results = {key: measure(args.requests, args.warmup, call) for key, (_l, call) in cases.items()}
    print_results(cases, results)
    print(json.dumps(summary(results, persons=total)))


if __name__ == "__main__":
    main()
