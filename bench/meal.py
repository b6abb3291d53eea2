"""MEAL engine at volume: indicators, the dashboard and the exports, against
a hand-written SQL query.

    uv run python bench/meal.py --persons 100000 --encounters 1000000 [--requests 30]

Uses the benchmark database (var/bench.sqlite3, or DATABASE_URL when set),
tops it up to --persons invented persons and --encounters encounters with
the ``generate`` code (reused by later runs; smaller sizes work too), seeds
the demo MEAL plans (logframes and indicators of the French projects), then
measures, for the project and month with the most encounters, in one
process:

- every computed indicator of the project for the month, each fully
  disaggregated (all the dimensions it offers at once), through the engine
  (``compute``), signed in as ``bench-meal`` (MEAL officer: exact figures);
- the project dashboard page ``GET /meal/project/<id>/?period=…`` (every
  indicator and its 12-month trend) through URL routing, middleware and the
  access checks;
- each export (HXL, ADX, dataValueSets) through the API;
- ``MED-CONS`` by sex and age group through the engine, and the same figure
  by one hand-written SQL query (the baseline).

Ends with one JSON line for CI to keep.
"""

import argparse
import json
import os

from common import bench_user, clock, measure, prepare_dataset, setup_django, timed

BENCH_USER = "bench-meal"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="repetitions per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="repetitions before measuring")
    return parser.parse_args()


def prepare(persons: int, encounters: int):
    from parcours.demo.meal_seed import seed_meal

    persons, encounters = prepare_dataset(persons, encounters)
    user, raw, projects = bench_user(BENCH_USER, "MEAL", "meal")
    seed_meal(user)
    return user, raw, projects, persons, encounters


def busiest(projects):
    """The project and the month with the most medical encounters."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from parcours.care.models import Encounter
    from parcours.meal.periods import Period

    row = (
        Encounter.objects.filter(project__in=projects, discipline="medical")
        .annotate(month=TruncMonth("occurred_at", tzinfo=timezone.get_default_timezone()))
        .values("project_id", "month")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    project = next(p for p in projects if p.pk == row["project_id"])
    month = row["month"]
    return project, Period.month(month.year, month.month), row["n"]


def hand_written_sql(project, period) -> tuple[str, list]:
    """MED-CONS by sex and age group (age on the local date of the encounter)."""
    from django.db import connection

    start, end = period.bounds()
    groups = "WHEN age < 5 THEN '0-4' WHEN age < 12 THEN '5-11' WHEN age < 18 THEN '12-17' WHEN age < 60 THEN '18-59' ELSE '60+'"
    if connection.vendor == "postgresql":
        age = "date_part('year', age((e.occurred_at AT TIME ZONE 'Europe/Paris')::date, p.birth_date))"
    else:
        # Local date from the UTC text: the Paris offset of the period's start.
        offset = int(start.utcoffset().total_seconds() // 3600)
        local = f"date(e.occurred_at, '+{offset} hours')"
        age = (
            f"(CAST(strftime('%Y', {local}) AS INTEGER) - CAST(strftime('%Y', p.birth_date) AS INTEGER)"
            f" - (strftime('%m-%d', {local}) < strftime('%m-%d', p.birth_date)))"
        )
    sql = f"""
        SELECT sex, age_group, COUNT(*) FROM (
            SELECT COALESCE(p.sex, 'unknown') AS sex,
                   CASE WHEN p.birth_date IS NULL THEN 'unknown' {groups} END AS age_group
            FROM (SELECT e.id, e.person_id, p.sex, p.birth_date, {age} AS age
                  FROM care_encounter e LEFT JOIN people_person p ON p.id = e.person_id
                  WHERE e.project_id = %s AND e.discipline = 'medical'
                    AND e.occurred_at >= %s AND e.occurred_at < %s) AS p
        ) AS cells GROUP BY sex, age_group
    """  # noqa: S608 - no user input
    return sql, [project.pk, start, end]


def profile(cases: dict) -> None:
    """Each case once more, its SQL queries counted and timed (the time the
    database took, seen from Django; the rest is Python)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("\nqueries (one run each):")
    for key, (label, call) in cases.items():
        if key == "med_cons_sql":
            continue  # a raw cursor: its strftime patterns upset the query log
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = call()
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"  {label:<44} {len(queries.captured_queries):4d} queries, SQL {sql:7.1f} ms "
            f"of {wall:7.1f} ms wall, CPU {cpu:7.1f} ms"
        )


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from parcours.accounts.models import User
    from parcours.meal import cache, engine
    from parcours.meal.definitions import offered_dimensions
    from parcours.meal.models import Indicator

    user, token, projects, persons, encounters = prepare(args.persons, args.encounters)
    # The generator writes in bulk (no signals): nothing kept may predate it.
    cache.forget()
    project, period, medical = busiest(projects)
    indicators = list(
        Indicator.objects.filter(project=project, is_active=True).prefetch_related("targets")
    )
    computed = [i for i in indicators if i.is_computed]
    med_cons_indicator = next(i for i in indicators if i.code == "MED-CONS")

    def fully(ind):
        return offered_dimensions(ind.definition_dict(), ind.disaggregations or None)

    def all_indicators():
        # A new request: the reader's roles and decisions are read again.
        reader = User.objects.get(pk=user.pk)
        results = engine.compute_many(computed, period, user=reader, disaggregate=fully)
        if len(results) != len(computed):
            raise SystemExit(f"{len(computed) - len(results)} indicators not computed")

    sql, params = hand_written_sql(project, period)

    def live(call):
        with cache.disabled():
            return call()

    def cold(call):
        cache.forget([project.pk])
        return call()

    def by_sql():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    engine_cells = {
        (c["sex"], c["age_group"]): c["value"]
        for c in engine.compute(
            med_cons_indicator, period, user=user, disaggregate=["sex", "age_group"]
        ).values
    }
    sql_cells = {(sex, group): n for sex, group, n in by_sql()}
    if sum(engine_cells.values()) != sum(sql_cells.values()):
        raise SystemExit(f"MED-CONS differs: engine {engine_cells} vs SQL {sql_cells}")
    if engine_cells != sql_cells:
        # The SQLite query takes one UTC offset for the month (not the DST change).
        print(f"note: cells differ at the edges: engine {engine_cells} vs SQL {sql_cells}")
    page = Client()
    page.force_login(user)
    api = Client()
    bearer = {"headers": {"authorization": f"Bearer {token}"}}
    print(
        f"\n{persons:,} persons, {encounters:,} encounters. {project.code}, {period.code}: "
        f"{medical:,} medical encounters, {len(computed)} computed indicators of "
        f"{len(indicators)}.\nDatabase: {connection.vendor}. {args.requests} repetitions "
        f"after {args.warmup} warm-up.\n"
    )

    def dashboard():
        return timed(page, f"/meal/project/{project.pk}/", {"period": period.code})

    def med_cons():
        engine.compute(med_cons_indicator, period, user=user, disaggregate=["sex", "age_group"])

    # Past months are read from the kept figures (meal/cache.py; the warm-up
    # keeps them); "live" counts everything, as without them.
    cases = {
        "project_month_all_indicators": (
            "all indicators, month, fully disaggregated",
            lambda: clock(all_indicators),
        ),
        "project_month_all_indicators_live": (
            "  the same, live (nothing kept)",
            lambda: live(lambda: clock(all_indicators)),
        ),
        "dashboard": ("dashboard GET /meal/project/<id>/", dashboard),
        "dashboard_live": ("  the same, live (nothing kept)", lambda: live(dashboard)),
        "dashboard_cold": (
            "  the same, first read (counted and kept)",
            lambda: cold(dashboard),
        ),
        "med_cons_engine": (
            "MED-CONS by sex × age group, engine, live",
            lambda: live(lambda: clock(med_cons)),
        ),
        "med_cons_engine_kept": ("  the same, kept", lambda: clock(med_cons)),
        "med_cons_sql": ("MED-CONS by sex × age group, SQL", lambda: clock(by_sql)),
    }
    for fmt in ("hxl", "adx", "datavaluesets"):
        cases[f"export_{fmt}"] = (
            f"export {fmt} (API)",
            lambda fmt=fmt: timed(
                api,
                f"/api/v1/meal/exports/{fmt}",
                {"project": project.pk, "period": period.code},
                **bearer,
            ),
        )
    profile(cases)
    print()
    results = {}
    for key, (label, call) in cases.items():
        results[key] = measure(args.requests, args.warmup, call)
        r = results[key]
        print(
            f"{label:<44} median {r['median']:8.1f} ms  p95 {r['p95']:8.1f} ms   "
            f"CPU median {r['cpu_median']:7.1f} ms  p95 {r['cpu_p95']:7.1f} ms",
            flush=True,
        )
    ratio = results["med_cons_engine"]["median"] / results["med_cons_sql"]["median"]
    cpu_ratio = results["med_cons_engine"]["cpu_median"] / results["med_cons_sql"]["cpu_median"]
    print(f"\nMED-CONS engine (live) / hand-written SQL: ×{ratio:.2f} (CPU ×{cpu_ratio:.2f})")
    print("\ntargets (SQLite):")
    for label, value, target in (
        ("all indicators p95", results["project_month_all_indicators"]["p95"], 1000),
        ("all indicators p95, live", results["project_month_all_indicators_live"]["p95"], 1000),
        ("dashboard p95", results["dashboard"]["p95"], 500),
        ("dashboard p95, live", results["dashboard_live"]["p95"], 500),
        ("dashboard CPU p95", results["dashboard"]["cpu_p95"], 500),
        ("MED-CONS engine / SQL", ratio, 1.5),
    ):
        verdict = "met" if value <= target else "NOT met"
        print(f"  {label:<28} {value:9.2f}  (≤ {target}) {verdict}")

    def ms(case: str, figure: str) -> float:
        return round(results[case][figure], 1)

    line = {
        "encounters": encounters,
        "persons": persons,
        "project": project.code,
        "period": period.code,
        "project_month_all_indicators_p95_ms": ms("project_month_all_indicators", "p95"),
        "project_month_all_indicators_median_ms": ms("project_month_all_indicators", "median"),
        "dashboard_p95_ms": ms("dashboard", "p95"),
        "dashboard_median_ms": ms("dashboard", "median"),
        "export_hxl_median_ms": ms("export_hxl", "median"),
        "export_adx_median_ms": ms("export_adx", "median"),
        "export_datavaluesets_median_ms": ms("export_datavaluesets", "median"),
        "med_cons_engine_ms": ms("med_cons_engine", "median"),
        "med_cons_sql_ms": ms("med_cons_sql", "median"),
        "project_month_all_indicators_cpu_median_ms": ms(
            "project_month_all_indicators", "cpu_median"
        ),
        "dashboard_cpu_median_ms": ms("dashboard", "cpu_median"),
        "dashboard_cpu_p95_ms": ms("dashboard", "cpu_p95"),
        "dashboard_live_p95_ms": ms("dashboard_live", "p95"),
        "dashboard_live_median_ms": ms("dashboard_live", "median"),
        "dashboard_live_cpu_median_ms": ms("dashboard_live", "cpu_median"),
        "dashboard_cold_median_ms": ms("dashboard_cold", "median"),
        "dashboard_cold_cpu_median_ms": ms("dashboard_cold", "cpu_median"),
        "project_month_all_indicators_live_p95_ms": ms("project_month_all_indicators_live", "p95"),
        "project_month_all_indicators_live_cpu_median_ms": ms(
            "project_month_all_indicators_live", "cpu_median"
        ),
        "med_cons_engine_kept_ms": ms("med_cons_engine_kept", "median"),
        "med_cons_ratio": round(ratio, 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
