"""The load test's requests, one at a time: CPU and queries per request.

    DATABASE_URL=postgres://… uv run python bench/mix.py [--requests 200]

bench/load.py measures what 100 users see; under load, what decides the
queueing is how much CPU each request takes in the app server. This
script times, in one process and through the whole stack (routing,
middleware, session or token, access checks, templates), each kind of
request of the load mix, on the same data, user and persons:

- search ``POST /people/`` with one name part (htmx, as the search field);
- person page ``GET /people/<id>/``;
- record page ``GET /care/persons/<id>/clinical-summary/``;
- encounter creation ``POST /api/v1/persons/<id>/encounters``;
- person read then update ``GET`` / ``PATCH /api/v1/persons/<id>``;
- the trivial view ``GET /health/`` as the baseline.

For each: wall-clock and CPU medians and p95, and the number of SQL
queries of one request, then the mix's weighted CPU per request (the
figure that sets how many requests per second a core serves). Ends with
one JSON line. The database is prepared as bench/record.py does (it tops
it up to --persons and --encounters).
"""

import argparse
import json
import random

from common import (
    NAME_PARTS,
    clock,
    encounter_body,
    measure,
    print_results,
    setup_django,
    summary,
)

# The load mix of bench/load.py: key → weight (person update counts its read).
WEIGHTS = {"search": 40, "person_page": 25, "record_page": 20, "encounter_create": 10}
WEIGHTS["person_update"] = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def expect(response, status: int, what: str):
    if response.status_code != status:
        raise SystemExit(f"{what} answered {response.status_code}: {response.content[:300]!r}")
    return response


class Mix:
    """One method per request kind of the load mix, each returning (wall, cpu) ms."""

    def __init__(self, rng: random.Random, user, token: str, projects):
        from django.test import Client

        from parcours.org.models import Site
        from parcours.people.models import Enrolment

        self.rng = rng
        self.page = Client()
        self.page.force_login(user)
        self.api = Client(headers={"authorization": f"Bearer {token}"})
        sites = {
            p.pk: Site.objects.filter(project=p).values_list("pk", flat=True).first()
            for p in projects
        }
        rows = (
            Enrolment.objects.filter(project__in=projects)
            .order_by("?")
            .values_list("person_id", "project_id")[:5000]
        )
        self.targets = [(person, sites[project]) for person, project in rows if sites[project]]

    def _person(self) -> int:
        return self.rng.choice(self.targets)[0]

    def trivial(self):
        return clock(lambda: expect(self.page.get("/health/"), 200, "/health/"))

    def search(self):
        body = {"q": self.rng.choice(NAME_PARTS), "active": "yes"}
        return clock(
            lambda: expect(
                self.page.post("/people/", body, headers={"HX-Request": "true"}), 200, "search"
            )
        )

    def person_page(self):
        path = f"/people/{self._person()}/"
        return clock(lambda: expect(self.page.get(path), 200, path))

    def record_page(self):
        path = f"/care/persons/{self._person()}/clinical-summary/"
        return clock(lambda: expect(self.page.get(path), 200, path))

    def encounter_create(self):
        person, site = self.rng.choice(self.targets)
        body = encounter_body(site)
        path = f"/api/v1/persons/{person}/encounters"
        return clock(
            lambda: expect(self.api.post(path, body, content_type="application/json"), 201, path)
        )

    def person_update(self):
        path = f"/api/v1/persons/{self._person()}"

        def read_then_update():
            version = expect(self.api.get(path), 200, path).json()["version"]
            body = {"version": version, "interpreter_needed": self.rng.random() < 0.5}
            expect(self.api.patch(path, body, content_type="application/json"), 200, path)

        return clock(read_then_update)


def count_queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def main() -> None:
    args = parse_args()
    setup_django()
    import record  # the same data set and user as the record and load benchmarks
    from django.db import connection

    user, token, projects, persons, encounters = record.prepare(args.persons, args.encounters)
    mix = Mix(random.Random(args.seed), user, token, projects)
    labels = {
        "trivial": "trivial GET /health/",
        "search": "search POST /people/ (one name part)",
        "person_page": "person page GET /people/<id>/",
        "record_page": "record page GET …/clinical-summary/",
        "encounter_create": "encounter creation POST (API)",
        "person_update": "person read + update (API)",
    }
    cases = {key: (label, getattr(mix, key)) for key, label in labels.items()}
    print(
        f"\n{persons:,} persons, {encounters:,} encounters; database: {connection.vendor}; "
        f"{args.requests} requests per measurement after {args.warmup} warm-up requests.\n"
    )
    results = {key: measure(args.requests, args.warmup, call) for key, (_l, call) in cases.items()}
    print_results(cases, results)
    queries = {key: count_queries(call) for key, (_l, call) in cases.items()}
    print("\nSQL queries of one request: " + ", ".join(f"{k} {n}" for k, n in queries.items()))
    total = sum(WEIGHTS.values())
    weighted = sum(results[key]["cpu_median"] * weight for key, weight in WEIGHTS.items()) / total
    print(f"CPU per request of the load mix (weighted medians): {weighted:.1f} ms")
    line = summary(results, persons=persons, encounters=encounters)
    line.update({f"{key}_queries": n for key, n in queries.items()})
    line["mix_cpu_ms"] = round(weighted, 1)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
