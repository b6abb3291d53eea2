import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from parcours.lib import crypto
from parcours.vault import canary, rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value that is not under the current key, in "
        "committed batches (safe to interrupt and re-run). --check only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--model", dest="model_label", help="only this model (app_label.Model)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit non-zero if any value is not under the current key",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, batch_size, model_label, check, database, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            targets = rotation.encrypted_fields(model_label)
        except (LookupError, ValueError) as exc:
            raise CommandError(f"--model {model_label}: {exc}") from None
        if model_label and not targets:
            raise CommandError(f"{model_label} has no encrypted field")
        self.verbosity = options["verbosity"]
        problems = canary.verify(database)
        if problems:
            raise CommandError("Refusing to go on:\n  " + "\n  ".join(problems))
        current = crypto.current_key_id()
        if check:
            return self._check(targets, current, database)
        self._rotate(targets, current, database, batch_size)

    def _check(self, targets, current, database):
        left = 0
        for model, model_field in targets:
            counts = rotation.count_by_key(model, model_field, using=database)
            label = rotation.field_label(model, model_field)
            if counts:
                detail = ", ".join(f"{n} under {key_id}" for key_id, n in counts.items())
                self.stdout.write(f"{label}: {detail}")
            elif self.verbosity >= 2:
                self.stdout.write(f"{label}: all under {current}")
            left += sum(counts.values())
        if left:
            raise CommandError(
                f"{left} value(s) are not under the current key {current!r}; run rotate_key"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All encrypted values in {len(targets)} field(s) are under the current key "
                f"{current!r}; keys other than it can be removed."
            )
        )

    def _rotate(self, targets, current, database, batch_size):
        if canary.record(database):
            self.stdout.write(f"Recorded a canary for key {current!r}.")
        started = time.monotonic()
        reports = []
        try:
            for model, model_field in targets:
                report = rotation.FieldReport(label=rotation.field_label(model, model_field))
                reports.append(report)
                rotation.rotate_field(
                    model,
                    model_field,
                    using=database,
                    batch_size=batch_size,
                    progress=self._progress,
                    report=report,
                )
        except KeyboardInterrupt:
            self._summary(reports, current, started)
            raise CommandError(
                "Interrupted: committed batches are kept; run rotate_key again to finish.",
                returncode=130,
            ) from None
        self._summary(reports, current, started)
        failed = sum(len(report.failed) for report in reports)
        if failed:
            for report in reports:
                for pk, reason in report.failed[:20]:
                    self.stderr.write(f"{report.label} pk={pk}: {reason}")
            raise CommandError(
                f"{failed} value(s) could not be decrypted and were left as they are"
            )

    def _progress(self, report):
        if self.verbosity >= 1:
            self.stdout.write(f"  {report.label}: {report.rotated} re-encrypted so far")

    def _summary(self, reports, current, started):
        elapsed = time.monotonic() - started
        self.stdout.write(f"Re-encrypted under key {current!r}:")
        for report in reports:
            line = f"  {report.label}: {report.rotated}"
            if report.changed_meanwhile:
                line += f" ({report.changed_meanwhile} edited meanwhile, already current)"
            if report.failed:
                line += f", {len(report.failed)} FAILED"
            self.stdout.write(line)
        total = sum(report.rotated for report in reports)
        self.stdout.write(
            self.style.SUCCESS(f"{total} value(s) in {len(reports)} field(s), {elapsed:.1f}s")
        )
