"""``parcours generate --persons N [--encounters M]``: top the database up to N invented
persons and M encounters."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parcours.demo.generate import BATCH, top_up
from parcours.demo.generate_care import PERSONS_PER_BATCH, top_up_encounters
from parcours.demo.seed import DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "Add invented persons and care records (bulk inserts, no audit trail) until the "
        "database holds --persons persons and --encounters encounters in all; for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, help="total persons wanted")
        parser.add_argument("--encounters", type=int, help="total encounters wanted")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--batch", type=int, default=BATCH, help="persons per transaction")

    def handle(self, *args, persons, encounters, seed, batch, **options):
        if settings.PRODUCTION:
            raise CommandError("Invented persons have no place in a production database.")
        if persons is None and encounters is None:
            raise CommandError("Say how many --persons and/or --encounters you want in all.")
        if persons is not None:
            self._persons(persons, seed, batch)
        if encounters is not None:
            self._encounters(encounters, seed)

    def _persons(self, persons: int, seed: int, batch: int) -> None:
        def progress(done: int, target: int, seconds: float) -> None:
            self.stdout.write(f"  {done:>8,} / {target:,} persons  {seconds:6.1f} s")

        report = top_up(persons, seed=seed, batch=batch, progress=progress)
        if report.after == report.before:
            self.stdout.write(f"Already {report.before:,} persons: nothing to add.")
        else:
            self.stdout.write(
                f"Added {report.after - report.before:,} persons "
                f"({report.before:,} → {report.after:,}) in {report.seconds:.1f} s."
            )

    def _encounters(self, encounters: int, seed: int) -> None:
        def progress(done: int, target: int, seconds: float) -> None:
            if done == target or done // 50_000 != getattr(self, "_last", 0):
                self._last = done // 50_000
                self.stdout.write(f"  {done:>9,} / {target:,} encounters  {seconds:6.1f} s")

        report = top_up_encounters(
            encounters, seed=seed, batch=PERSONS_PER_BATCH, progress=progress
        )
        if report.after == report.before:
            self.stdout.write(f"Already {report.before:,} encounters: nothing to add.")
        else:
            self.stdout.write(
                f"Added {report.after - report.before:,} encounters "
                f"({report.before:,} → {report.after:,}) and {report.consents:,} consent "
                f"decisions in {report.seconds:.1f} s."
            )
