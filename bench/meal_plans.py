"""The query plans of the MEAL engine's counting queries for one project-month.

    DATABASE_URL=postgres://parcours@127.0.0.1:5432/parcours_meal \\
      uv run python bench/meal_plans.py --persons 10000 --encounters 100000 [--trend]

Same data set and set-up as ``bench/meal.py`` (the busiest project-month of
the French projects, the demo MEAL plans, ``bench-meal``); every SQL query
the engine runs to compute all the project's indicators for the month,
fully disaggregated (``--trend``: the dashboard's twelve-month trends
instead), live (nothing kept), each run again under ``EXPLAIN (ANALYZE,
BUFFERS)`` on PostgreSQL (``EXPLAIN QUERY PLAN`` on SQLite). Prints each
query's plan and its execution time, then the total.
"""

import argparse
import re
import time

from common import setup_django
from meal import busiest, prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--trend", action="store_true", help="the dashboard's trends")
    parser.add_argument("--all", action="store_true", help="print every plan in full")
    parser.add_argument("--sql", help="also write each query (with its parameters) to this file")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parcours.meal import cache, engine
    from parcours.meal.definitions import offered_dimensions
    from parcours.meal.models import Indicator
    from parcours.meal.periods import trend

    user, _token, projects, _persons, _encounters = prepare(args.persons, args.encounters)
    project, period, medical = busiest(projects)
    indicators = [
        i
        for i in Indicator.objects.filter(project=project, is_active=True).prefetch_related(
            "targets"
        )
        if i.is_computed
    ]

    def fully(ind):
        return offered_dimensions(ind.definition_dict(), ind.disaggregations or None)

    with cache.disabled(), CaptureQueriesContext(connection) as queries:
        if args.trend:
            engine.trend_many(indicators, trend(period, 12), user=user)
        else:
            engine.compute_many(indicators, period, user=user, disaggregate=fully)
    counting = [
        q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] or "COUNT(" in q["sql"]
    ]
    print(
        f"{connection.vendor}: {project.code} {period.code}, {medical:,} medical encounters, "
        f"{len(indicators)} computed indicators, {len(counting)} counting queries"
        f" ({'twelve-month trends' if args.trend else 'the month, fully disaggregated'}).\n"
    )
    if args.sql:
        with open(args.sql, "w") as out:
            out.write(";\n\n".join(counting) + ";\n")
    total = 0.0
    for sql in counting:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
                took = float(re.search(r"Execution Time: ([\d.]+)", plan[-1])[1])
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = [str(row[-1]) for row in cursor.fetchall()]
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                took = (time.perf_counter() - start) * 1000
        total += took
        table = re.search(r'FROM "(\w+)"', sql)
        print(f"--- {took:8.1f} ms  {table[1] if table else '?'}: {sql[:160]}…")
        lines = (
            plan
            if args.all
            else [
                line
                for line in plan
                if re.search(r"Scan|Join|Aggregate|Sort|Execution|Buffers|SEARCH|SCAN", line)
            ]
        )
        print("\n".join("    " + line for line in lines))
    print(f"\ntotal execution time of the counting queries: {total:.1f} ms")


if __name__ == "__main__":
    main()
