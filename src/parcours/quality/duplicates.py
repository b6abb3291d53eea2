"""Persons of a project who are in a suspected pair not yet merged nor
dismissed, from the same matching as the duplicate queue
(``people.duplicates.compute_pairs``). The pairs are computed in memory and
cached per project until a person, a name key or an enrolment changes."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max

from parcours.people.duplicates import compute_pairs
from parcours.people.models import Enrolment, NameKey, NotDuplicate, Person

CACHE_SECONDS = 3600


def _fingerprint() -> tuple:
    people = Person.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    keys = NameKey.objects.aggregate(n=Count("id"), last=Max("id"))
    enrolments = Enrolment.objects.aggregate(n=Count("id"), last=Max("id"))
    return (people["n"], str(people["last"]), keys["n"], keys["last"], enrolments["n"])


def _pairs(project_id: int) -> list[tuple[int, int]]:
    state = repr(("quality", project_id, _fingerprint())).encode()
    key = "parcours:quality:pairs:" + hashlib.sha256(state).hexdigest()
    pairs = cache.get(key)
    if pairs is None:
        persons = Person.objects.current().in_projects([project_id])
        # Phones are not compared: the check runs for readers without contact rights.
        pairs = [(p.first_id, p.second_id) for p in compute_pairs(persons, phones=False)]
        cache.set(key, pairs, CACHE_SECONDS)
    return pairs


def persons_in_pairs(project_id: int) -> set[int]:
    """Ids of the project's current persons in a pair still to decide."""
    pairs = _pairs(project_id)
    ids = {pid for pair in pairs for pid in pair}
    if not ids:
        return set()
    dismissed = set(
        NotDuplicate.objects.filter(first_id__in=ids).values_list("first_id", "second_id")
    )
    current = set(Person.objects.current().filter(pk__in=ids).values_list("pk", flat=True))
    return {
        pid
        for first, second in pairs
        if (first, second) not in dismissed and first in current and second in current
        for pid in (first, second)
    }
