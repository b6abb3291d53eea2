"""``parcours generate --persons N``: top the database up to N invented persons."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parcours.demo.generate import BATCH, top_up
from parcours.demo.seed import DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "Add invented persons (bulk inserts, no audit trail) until the database holds "
        "--persons in all; for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="total persons wanted")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--batch", type=int, default=BATCH, help="persons per transaction")

    def handle(self, *args, persons, seed, batch, **options):
        if settings.PRODUCTION:
            raise CommandError("Invented persons have no place in a production database.")

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
