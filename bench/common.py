"""What the benchmarks share: the Django set-up, timing one request, summing up."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the simulated users of bench/load.py and bench/mix.py search for:
# common name parts, each matching hundreds to thousands of persons.
NAME_PARTS = ["mohamed", "ahmed", "abdi", "tesfay", "haile", "ali", "hassan", "omar", "yonas"]


def encounter_body(site: int) -> dict:
    """What the load's encounter creation sends to the API (one now, medical)."""
    return {
        "discipline": "medical",
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "site": site,
        "team_note": "Load test",
    }


def setup_django() -> None:
    """Django on the benchmark database (var/bench.sqlite3 unless DATABASE_URL is set)."""
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("PARCOURS_SQLITE_PATH", str(ROOT / "var" / "bench.sqlite3"))
    # Production-like: no SQL query log kept in memory for every request.
    os.environ.setdefault("PARCOURS_DEBUG", "0")
    # Benchmarks sign in with force_login: no second factor (its cost is one
    # query per request, measured with PARCOURS_MFA set explicitly).
    os.environ.setdefault("PARCOURS_MFA", "off")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    import django

    django.setup()


def prepare_dataset(persons: int, encounters: int) -> tuple[int, int]:
    """Migrate, then top the database up to ``persons`` invented persons and
    ``encounters`` encounters (the ``generate`` code; later runs reuse them).
    Returns how many there are."""
    from django.core.management import call_command

    from parcours.demo.generate import top_up
    from parcours.demo.generate_care import top_up_encounters

    call_command("migrate", interactive=False, verbosity=0)

    def progress(what: str):
        def report(done: int, target: int, seconds: float) -> None:
            if done == target or done % 100_000 < 12_000:
                print(f"  generating: {done:,} / {target:,} {what} ({seconds:.0f} s)", flush=True)

        return report

    people = top_up(persons, progress=progress("persons"))
    if people.after != people.before:
        print(f"generated {people.after - people.before:,} persons in {people.seconds:.1f} s")
    care = top_up_encounters(encounters, progress=progress("encounters"))
    if care.after != care.before:
        print(f"generated {care.after - care.before:,} encounters in {care.seconds:.1f} s")
    return people.after, care.after


def bench_user(username: str, last_name: str, role: str):
    """(user, raw API token, the French projects): ``username`` holds ``role``
    in every French project."""
    from parcours.accounts.models import ApiToken, Membership, User
    from parcours.demo.organisation import FRENCH_PROJECTS
    from parcours.org.models import Project

    user, _created = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": last_name}
    )
    projects = list(Project.objects.filter(code__in=FRENCH_PROJECTS))
    for project in projects:
        Membership.objects.get_or_create(user=user, project=project, role=role)
    _token, raw = ApiToken.issue(user)
    return user, raw, projects


def clock(call) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call.

    CPU time is this process's own work: it stays meaningful when other
    jobs share the machine, which wall-clock time does not.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def timed(client, path: str, params: dict | None = None, **extra) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request (see ``clock``)."""
    responses = []
    wall, cpu = clock(lambda: responses.append(client.get(path, params or {}, **extra)))
    if responses[0].status_code != 200:
        sys.exit(f"{path} {params} answered {responses[0].status_code}")
    return wall, cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(requests: int, warmup: int, call) -> dict[str, float]:
    for _ in range(warmup):
        call()
    walls, cpus = zip(*(call() for _ in range(requests)), strict=True)
    return {
        "median": statistics.median(walls),
        "p95": p95(walls),
        "max": max(walls),
        "cpu_median": statistics.median(cpus),
        "cpu_p95": p95(cpus),
    }


def print_results(cases: dict, results: dict, *, baseline: str = "trivial") -> None:
    """One line per case, wall-clock and CPU, with ratios to the baseline's p95."""
    base = results[baseline]
    print(f"{'':<44} {'wall-clock':^38}   {'CPU of this process':^24}")
    for key, (label, _call) in cases.items():
        r = results[key]
        print(
            f"{label:<44} median {r['median']:7.1f} ms  p95 {r['p95']:7.1f} ms "
            f"(×{r['p95'] / base['p95']:5.1f})   median {r['cpu_median']:6.1f} ms  "
            f"p95 {r['cpu_p95']:6.1f} ms (×{r['cpu_p95'] / base['cpu_p95']:5.1f})"
        )


def summary(results: dict, **counts) -> dict:
    """The JSON line's content: counts, then p95, medians and CPU p95 per case, and load."""
    load = os.getloadavg()[0]
    print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} CPUs")
    line = dict(counts)
    line.update({f"{key}_p95_ms": round(r["p95"], 1) for key, r in results.items()})
    line.update({f"{key}_median_ms": round(r["median"], 1) for key, r in results.items()})
    line.update({f"{key}_cpu_p95_ms": round(r["cpu_p95"], 1) for key, r in results.items()})
    line["load_average"] = round(load, 1)
    return line
