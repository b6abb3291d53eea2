"""Import benchmark: persons from a CSV with the duplicate matching on.

    uv run python bench/import.py [--rows 100000] [--persons 100000] [--seed 1]

- Database: var/bench-import.sqlite3 (or DATABASE_URL), a fresh copy of
  var/bench-import-base-<persons>.sqlite3, which holds ``--persons`` invented
  persons written by the code of ``parcours generate`` (made once, in a child
  process, so that this process's peak memory is the import's).
- File: a CSV of ``--rows`` persons drawn by the same population generator
  (names of the same traditions, so some match persons already there and
  some match each other), ``;``-separated, dates dd/mm/yyyy, in var/.
- Measured: the real import through ``imports.services.batch_run`` (the
  code the CLI and the pages run): mapping, validation, duplicate matching
  against the persons of the project and within the file, bulk writes with
  codes, name keys, import rows, audit rows and the row-level report.
- Printed: rows/s and the process's peak resident memory; the last line is
  one JSON object {"rows", "rows_per_s", "peak_mb", …}.

Targets on SQLite: ≥ 5,000 rows/s at 100,000 rows against 100,000 persons,
peak memory ≤ 512 MB.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
WORK_DB = VAR / "bench-import.sqlite3"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def base_db(persons: int) -> Path:
    return VAR / f"bench-import-base-{persons}.sqlite3"


def setup(db: Path) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["PARCOURS_SQLITE_PATH"] = str(db)
    os.environ.setdefault("PARCOURS_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def prepare(persons: int) -> None:
    """Child process: the base database with ``persons`` persons."""
    db = base_db(persons)
    setup(db)
    from django.core.management import call_command

    from parcours.demo.generate import top_up

    call_command("migrate", interactive=False, verbosity=0)

    def progress(done: int, target: int, seconds: float) -> None:
        print(f"  generating: {done:,} / {target:,} persons ({seconds:.0f} s)", flush=True)

    top_up(persons, progress=progress)


def write_csv(path: Path, rows: int, seed: int) -> None:
    from datetime import date
    from random import Random

    from parcours.demo.population import plan

    rng = Random(f"import-bench:{seed}")
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["id", "Prénom", "Nom", "Date de naissance", "Sexe", "Nationalité", "Équipe"])
        while written < rows:
            for household in plan(rng, min(5000, rows - written), date.today()):
                for draft in household.members:
                    if written >= rows:
                        break
                    data = draft.data
                    birth = data.get("birth_date")
                    out.writerow(
                        [
                            f"bench-{seed}-{written}",
                            data.get("given_name", ""),
                            data.get("family_name", ""),
                            birth.strftime("%d/%m/%Y") if birth else "",
                            {"male": "H", "female": "F"}.get(data.get("sex"), ""),
                            str(data.get("nationality") or ""),
                            draft.project,
                        ]
                    )
                    written += 1


def main() -> None:
    args = parse_args()
    if args.prepare:
        prepare(args.persons)
        return
    VAR.mkdir(exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        base = base_db(args.persons)
        if not base.exists():
            print(f"preparing {base.name} (once)…", flush=True)
            subprocess.run(  # noqa: S603 - our own script
                [sys.executable, __file__, "--prepare", "--persons", str(args.persons)],
                check=True,
            )
        shutil.copyfile(base, WORK_DB)
    setup(WORK_DB)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from parcours.accounts.models import Membership, User
    from parcours.imports import services
    from parcours.imports.models import ImportBatch
    from parcours.org.models import Project
    from parcours.people.models import Person

    project = Project.objects.filter(code="CAL").first() or Project.objects.order_by("pk").first()
    user, _created = User.objects.get_or_create(username="bench-import")
    projects = list(Project.objects.all())
    for each in projects:
        Membership.objects.get_or_create(user=user, project=each, role="coordinator")
    before = Person.objects.count()
    in_projects = Person.objects.in_projects([p.pk for p in projects]).count()
    csv_path = VAR / f"bench-import-{args.rows}.csv"
    if not csv_path.exists():
        write_csv(csv_path, args.rows, args.seed)
    with csv_path.open("rb") as handle:
        batch = services.batch_create(
            actor=user,
            project=project,
            name=csv_path.name,
            chunks=iter(lambda: handle.read(1 << 20), b""),
            size=csv_path.stat().st_size,
            dry_run=False,
            # Each row goes to the project of its team: the matching covers them all.
            mapping={
                "source": f"bench-{args.seed}",
                "columns": {
                    "id": "source_key",
                    "Prénom": "given_name",
                    "Nom": "family_name",
                    "Date de naissance": "birth_date",
                    "Sexe": "sex",
                    "Nationalité": "nationality",
                    "Équipe": "teams",
                },
                "teams": {p.code: p.code for p in projects},
            },
        )
    started = time.perf_counter()
    cpu = time.process_time()
    batch = services.batch_run(actor=user, batch=batch, dry_run=False)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status != "done":
        sys.exit(f"import failed: {batch.message}")
    rows = sum(batch.counts.values())
    created = Person.objects.count() - before
    print(
        f"persons already there: {before:,} ({in_projects:,} in the file's projects, matched against)"
    )
    print(f"file: {rows:,} rows; outcomes: {dict(sorted(batch.counts.items()))}")
    print(f"persons created: {created:,}")
    print(f"import: {seconds:.1f} s wall-clock, {cpu:.1f} s CPU → {rows / seconds:,.0f} rows/s")
    print(f"peak memory of this process: {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "rows": rows,
                "rows_per_s": round(rows / seconds),
                "peak_mb": round(peak_mb),
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "persons_before": before,
                "created": created,
                "duplicates": batch.counts.get("duplicate", 0),
                "load": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
