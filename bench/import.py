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
    parser.add_argument(
        "--mano",
        type=int,
        default=0,
        help="instead: a Mano raw export (data.xlsx) of this many persons, 3 consultations "
        "and 2 actions each, imported into an empty project (memory of a 20,000-person export)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the import's 30 costliest functions (cProfile, CPU time; the whole "
        "profile to $BENCH_PROFILE_FILE if set)",
    )
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


def write_mano(path: Path, persons: int, seed: int) -> None:
    """A raw data.xlsx as Mano writes it (write-only workbook: streamed)."""
    from datetime import date
    from random import Random

    from openpyxl import Workbook

    from parcours.demo.population import plan

    rng = Random(f"mano-bench:{seed}")
    book = Workbook(write_only=True)
    people = book.create_sheet("personnes suivies")
    header = [
        "_id",
        "createdAt",
        "Nationalité",
        "Ressources",
        "name",
        "otherNames",
        "gender",
        "birthdate",
        "assignedTeams",
        "outOfActiveList",
        "history",
        "entityKey",
    ]
    people.append(header)
    consultations = book.create_sheet("consultations")
    consultations.append(["_id", "status", "completedAt", "Description", "type", "person", "teams"])
    actions = book.create_sheet("actions")
    actions.append(["_id", "status", "dueAt", "person", "name", "teams"])
    written = 0
    while written < persons:
        for household in plan(rng, min(5000, persons - written), date.today()):
            for draft in household.members:
                if written >= persons:
                    break
                data = draft.data
                key = f"p-{written}"
                birth = data.get("birth_date")
                people.append(
                    [
                        key,
                        "2024-01-10T09:00:00.000Z",
                        "Hors UE",
                        "RSA, AAH",
                        f"{data.get('given_name', '')} {data.get('family_name', '')}",
                        "",
                        {"male": "Homme", "female": "Femme"}.get(data.get("sex"), "Aucun"),
                        f"{birth.isoformat()}T22:00:00.000Z" if birth else None,
                        "team-1",
                        None,
                        '[{"date":"2024-01-10","data":{}}]',
                        "c2VjcmV0",
                    ]
                )
                for n in range(3):
                    consultations.append(
                        [
                            f"{key}-c{n}",
                            "FAIT",
                            f"2024-0{n + 1}-15T10:00:00.000Z",
                            "Consultation " * 20,
                            "Médicale",
                            key,
                            "team-1",
                        ]
                    )
                for n in range(2):
                    actions.append(
                        [
                            f"{key}-a{n}",
                            "A FAIRE",
                            "2024-05-01T10:00:00.000Z",
                            key,
                            "Rendez-vous CAF",
                            "team-1",
                        ]
                    )
                written += 1
    book.save(path)


def mano_memory(args) -> None:
    """Import a generated 20,000-person Mano export; print rows/s and peak memory."""
    db = VAR / "bench-import-mano.sqlite3"
    db.unlink(missing_ok=True)
    setup(db)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from parcours.accounts.models import Membership, User
    from parcours.imports import services
    from parcours.org.models import Mission, Project, Site

    mission = Mission.objects.create(name="France", country="FR")
    project = Project.objects.create(mission=mission, name="Calais", code="CAL")
    Site.objects.create(project=project, name="Accueil de jour")
    user = User.objects.create(username="bench-mano")
    Membership.objects.create(user=user, project=project, role="coordinator")
    path = VAR / f"bench-mano-{args.mano}.xlsx"
    if not path.exists():
        write_mano(path, args.mano, args.seed)
    with path.open("rb") as handle:
        batch = services.batch_create(
            actor=user,
            project=project,
            name=path.name,
            chunks=iter(lambda: handle.read(1 << 20), b""),
            size=path.stat().st_size,
        )
    started, cpu = time.perf_counter(), time.process_time()
    batch = run_import(services, args, actor=user, batch=batch, dry_run=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(batch.counts.values())
    print(
        f"Mano export of {args.mano:,} persons ({path.stat().st_size / 1e6:.1f} MB): "
        f"{rows:,} rows {dict(sorted((str(k), v) for k, v in batch.counts.items()))}"
    )
    print(
        f"import: {seconds:.1f} s wall-clock ({rows / seconds:,.0f} rows/s), "
        f"{cpu:.1f} s CPU ({rows / cpu:,.0f} rows/s)"
    )
    print(f"peak memory of this process: {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "mano_persons": args.mano,
                "rows": rows,
                "rows_per_s": round(rows / seconds),
                "cpu_rows_per_s": round(rows / cpu),
                "peak_mb": round(peak_mb),
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "status": batch.status,
                "load": round(os.getloadavg()[0], 2),
            }
        )
    )


def run_import(services, args, **kwargs):
    """batch_run, under cProfile with --profile (the figures are then slower)."""
    if not args.profile:
        return services.batch_run(**kwargs)
    import cProfile
    import pstats

    # CPU time, not wall-clock: the machine running the bench is often shared.
    profiler = cProfile.Profile(time.process_time)
    batch = profiler.runcall(services.batch_run, **kwargs)
    if os.environ.get("BENCH_PROFILE_FILE"):
        profiler.dump_stats(os.environ["BENCH_PROFILE_FILE"])
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return batch


def main() -> None:
    args = parse_args()
    if args.mano:
        VAR.mkdir(exist_ok=True)
        mano_memory(args)
        return
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
    batch = run_import(services, args, actor=user, batch=batch, dry_run=False)
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
    print(
        f"import: {seconds:.1f} s wall-clock ({rows / seconds:,.0f} rows/s), "
        f"{cpu:.1f} s CPU ({rows / cpu:,.0f} rows/s)"
    )
    print(f"peak memory of this process: {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "rows": rows,
                "rows_per_s": round(rows / seconds),
                "cpu_rows_per_s": round(rows / cpu),
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
