"""Load test on PostgreSQL: concurrent users against ``parcours serve``.

    DATABASE_URL=postgres://… uv run python bench/load.py --users 100 --duration 600
    … --servers 2          # two serve processes on the same database
    … --persons 20000 --encounters 100000 --users 20 --duration 60   # a short run

Prepares the database that DATABASE_URL names (migrations, then tops it up
to --persons invented persons and --encounters encounters with the
``generate`` code, reusing what is there), starts --servers ``parcours
serve`` processes (gunicorn, --workers each) and drives --users simulated
users for --duration seconds with Locust, headless, in this process. Each
user is a clinician (medical role in every French project, like
bench/record.py) with a signed-in session and an API token, and does, at
random with these weights:

- 40 % people search ``POST /people/`` with ``q=<a name part>``, as the
  search field sends it (htmx, CSRF token; the name stays out of the URL);
- 25 % person page ``GET /people/<id>/`` (identity and the care timeline);
- 20 % record page ``GET /care/persons/<id>/clinical-summary/``;
- 10 % encounter creation ``POST /api/v1/persons/<id>/encounters``;
- 5 % person update ``GET`` then ``PATCH /api/v1/persons/<id>`` with its version.

The writes go through the API (same services and checks as the forms, no
CSRF token to scrape). Users alternate between the servers. Any answer
other than the expected status is an error. Ends with one JSON line:
{"users", "duration_s", "requests", "errors", "p50_ms", "p95_ms", "p99_ms",
"servers", "workers", "cores", "think_s"}.

Each user waits --think MIN MAX seconds between two requests (3 to 10 by
default: reading the page, talking with the person, typing); ``--think 0.5
2`` is a stress profile that asks for about five times as many requests.

The preparation runs in a child process: Locust patches the standard
library with gevent when imported, which Django must not see.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import NAME_PARTS, encounter_body

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-medecin"
# Between two clicks a clinician reads the page, talks with the person, types:
# 3 to 10 seconds is the short end of what a consultation or a reception desk
# leaves (one request every 6.5 s per user, ~15 requests/s for 100 users).
# --think 0.5 2 is the stress profile of earlier runs (~70 requests/s).
THINK_SECONDS = (3.0, 10.0)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--servers", type=int, default=1, help="parcours serve processes")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers per server")
    parser.add_argument("--port", type=int, default=8700, help="first server's port")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=THINK_SECONDS,
        metavar=("MIN", "MAX"),
        help="seconds a user waits between two requests, drawn between MIN and MAX",
    )
    parser.add_argument("--prepare", metavar="OUT", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- preparation (child process, Django) -------------------------------------


def prepare(args: argparse.Namespace, out: str) -> None:
    """Database ready, one session and one token per simulated user, a sample of ids."""
    sys.path.insert(0, str(ROOT / "bench"))
    from common import setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from parcours.accounts.models import ApiToken
    from parcours.ops.middleware import SIGNED_IN_AT
    from parcours.org.models import Site
    from parcours.people.models import Enrolment

    sys.argv = [sys.argv[0]]
    import record  # the same data set and user as the record benchmark

    user, _token, projects, persons, encounters = record.prepare(args.persons, args.encounters)
    # What autovacuum keeps up on a production server (it may be switched off
    # on a test machine): planner statistics and the visibility map that
    # index-only scans need, after millions of rows written in bulk.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    sessions, tokens = [], []
    for _ in range(args.users):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SIGNED_IN_AT] = int(time.time())
        session.create()
        sessions.append(session.session_key)
        tokens.append(ApiToken.issue(user)[1])
    person_ids = list(
        Enrolment.objects.filter(project__in=projects)
        .order_by("?")
        .values_list("person_id", flat=True)[:5000]
    )
    sites = {
        project.pk: Site.objects.filter(project=project).values_list("pk", flat=True).first()
        for project in projects
    }
    enrolled = dict(
        Enrolment.objects.filter(person_id__in=person_ids, project__in=projects).values_list(
            "person_id", "project_id"
        )
    )
    Path(out).write_text(
        json.dumps(
            {
                "persons": persons,
                "encounters": encounters,
                "sessions": sessions,
                "tokens": tokens,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "targets": [[pk, sites[enrolled[pk]]] for pk in person_ids if sites[enrolled[pk]]],
            }
        )
    )


# --- the servers ---------------------------------------------------------------


def start_servers(args: argparse.Namespace) -> list[tuple[subprocess.Popen, str]]:
    servers = []
    for index in range(args.servers):
        port = args.port + index
        parcours = str(Path(sys.executable).with_name("parcours"))
        command = [parcours, "serve", "--bind", f"127.0.0.1:{port}"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        command += ["--access-log", os.devnull]
        process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603 - our own command
        servers.append((process, f"http://127.0.0.1:{port}"))
    return servers


def stop_servers(servers) -> None:
    for process, _url in servers:
        process.terminate()
    for process, _url in servers:
        try:
            process.wait(timeout=60)  # gunicorn's graceful stop
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(process: subprocess.Popen, url: str, seconds: int = 120) -> None:
    """Until /healthz answers 200; otherwise exits naming the failing check."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server at {url} stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310 - http://127.0.0.1
                if answer.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = error.read().decode(errors="replace")[:300]
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"the server at {url} did not become healthy in {seconds} s: {last}")


# --- the load (Locust) -----------------------------------------------------------


def run_load(args: argparse.Namespace, data: dict, hosts: list[str]) -> dict:
    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    accounts = iter(range(10**9))
    targets = data["targets"]

    class Clinician(FastHttpUser):
        # gevent's HTTP client: the load generator shares the machine with the
        # servers and the database, and should take as little of it as it can.
        wait_time = between(*args.think)
        host = hosts[0]

        def on_start(self):
            number = next(accounts)
            self.client.base_url = hosts[number % len(hosts)]
            self.client.client.cookiejar = None  # the cookies below, as they are
            # The session and the form's CSRF token as a browser sends them.
            # Django accepts the token's unmasked 32-character secret, sent
            # both as the cookie and as the header htmx sends.
            csrf = "".join(random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=32))
            session = data["sessions"][number % args.users]
            self.cookies = {"Cookie": f"{data['session_cookie']}={session}; csrftoken={csrf}"}
            self.bearer = {"Authorization": f"Bearer {data['tokens'][number % args.users]}"}
            self.search_headers = {
                **self.cookies,
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Referer": self.client.base_url + "/people/",
            }

        def _call(self, method, path, name, expected=200, **kwargs):
            """One request; any other status than ``expected`` counts as an error."""
            with self.client.request(
                method, path, name=name, catch_response=True, **kwargs
            ) as answer:
                if answer.status_code != expected:
                    answer.failure(f"{answer.status_code} {answer.text[:200]}")
                return answer

        def _get(self, path, name, **kwargs):
            kwargs.setdefault("headers", self.cookies)
            return self._call("GET", path, name, **kwargs)

        @task(40)
        def search(self):
            body = {"q": random.choice(NAME_PARTS), "active": "yes"}
            self._call("POST", "/people/", "search", data=body, headers=self.search_headers)

        @task(25)
        def person_page(self):
            self._get(f"/people/{random.choice(targets)[0]}/", "person page")

        @task(20)
        def record_page(self):
            person = random.choice(targets)[0]
            self._get(f"/care/persons/{person}/clinical-summary/", "record page")

        @task(10)
        def encounter_create(self):
            person, site = random.choice(targets)
            path = f"/api/v1/persons/{person}/encounters"
            body = encounter_body(site)
            self._call("POST", path, "encounter create", 201, json=body, headers=self.bearer)

        @task(5)
        def person_update(self):
            person = random.choice(targets)[0]
            read = self._get(f"/api/v1/persons/{person}", "person read", headers=self.bearer)
            if read.status_code != 200:
                return
            body = {"version": read.json()["version"], "interpreter_needed": random.random() < 0.5}
            path = f"/api/v1/persons/{person}"
            self._call("PATCH", path, "person update", json=body, headers=self.bearer)

    environment = Environment(user_classes=[Clinician])
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    started = time.monotonic()
    gevent.sleep(args.duration)
    runner.quit()
    elapsed = time.monotonic() - started
    total = environment.stats.total
    for name, entry in sorted(environment.stats.entries.items()):
        print(
            f"  {name[1]:<7} {name[0]:<18} {entry.num_requests:>7} requests "
            f"{entry.num_failures:>4} errors  p50 {entry.get_response_time_percentile(0.5):>6.0f} ms"
            f"  p95 {entry.get_response_time_percentile(0.95):>6.0f} ms"
        )
    for error in list(environment.stats.errors.values())[:10]:
        print(f"  error: {error.method} {error.name}: {error.error} ({error.occurrences}×)")
    return {
        "users": args.users,
        "duration_s": round(elapsed),
        "requests": total.num_requests,
        "errors": total.num_failures,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "requests_per_s": round(total.num_requests / elapsed, 1),
    }


def main() -> None:
    args = parse_args()
    if args.prepare:
        prepare(args, args.prepare)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/load.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ.setdefault("PARCOURS_DEBUG", "0")
    # The simulated users' sessions are made here, without a second factor.
    os.environ.setdefault("PARCOURS_MFA", "off")
    out = ROOT / "var" / "load-prepared.json"
    out.parent.mkdir(exist_ok=True)
    subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, *sys.argv[1:], "--prepare", str(out)], check=True
    )
    data = json.loads(out.read_text())
    servers = start_servers(args)
    try:
        for process, url in servers:
            wait_healthy(process, url)
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1  # serve's default
        print(
            f"\n{data['persons']:,} persons, {data['encounters']:,} encounters; "
            f"{args.users} users for {args.duration} s on {args.servers} server(s) × "
            f"{workers} workers; {os.cpu_count()} cores; "
            f"{args.think[0]:g}-{args.think[1]:g} s between two requests of a user.\n"
        )
        result = run_load(args, data, [url for _process, url in servers])
    finally:
        # Also when a server never became healthy: none is left running.
        stop_servers(servers)
    result.update(
        {
            "servers": args.servers,
            "workers": workers,
            "cores": os.cpu_count(),
            "think_s": list(args.think),
        }
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
