"""Recompute every person's search keys, after the spelling rules change."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from parcours.people.models import Alias, NameKey, Person
from parcours.people.names import person_name_keys


class Command(BaseCommand):
    help = "Recompute the name keys used by search and duplicate detection."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        last_id, done = 0, 0
        while True:
            batch = list(
                Person.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", "given_name", "family_name", "name_original")[:batch_size]
            )
            if not batch:
                break
            ids = [row[0] for row in batch]
            aliases: dict[int, list[str]] = {}
            for person_id, name in Alias.objects.filter(person_id__in=ids).values_list(
                "person_id", "name"
            ):
                aliases.setdefault(person_id, []).append(name)
            rows = [
                NameKey(person_id=pk, key=key)
                for pk, given, family, original in batch
                for key in sorted(person_name_keys(given, family, original, aliases.get(pk, [])))
            ]
            with transaction.atomic():
                NameKey.objects.filter(person_id__in=ids).delete()
                NameKey.objects.bulk_create(rows, batch_size=5000)
            last_id, done = ids[-1], done + len(ids)
            self.stdout.write(f"  {done:,} persons")
        self.stdout.write(
            f"name keys rebuilt for {done:,} persons in {time.monotonic() - started:.1f} s"
        )
