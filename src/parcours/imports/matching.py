"""Suspected duplicates of imported persons, against the registry and within
the file, with the registry's cross-script name folding (people.names).

Built once per import: an in-memory index from a name key (the sorted
phonetic skeletons of the name's words, so that "Mohamed Ali", "ALI
Mohammed" and "محمد علي" meet) to the persons holding it. A row is a suspect
when it shares a key with a person whose date of birth does not contradict
its own (same date, or one of them unknown).
"""

from collections import defaultdict
from datetime import date
from functools import lru_cache

from parcours.people.models import Person
from parcours.people.names import skeleton, tokens


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    words = tokens(name or "")
    return " ".join(sorted(skeleton(word) for word in words if word))


def person_keys(given: str, family: str, original: str = "") -> set[str]:
    keys = {name_key(f"{given} {family}"), name_key(original)}
    keys.discard("")
    return keys


class DuplicateIndex:
    def __init__(self):
        # key -> [(person id or None, row number or None, birth date)]
        self._by_key: dict[str, list[tuple[int | None, int | None, date | None]]] = defaultdict(
            list
        )

    @classmethod
    def of_projects(cls, project_ids) -> "DuplicateIndex":
        index = cls()
        persons = (
            Person.objects.current()
            .in_projects(project_ids)
            .values_list("pk", "given_name", "family_name", "name_original", "birth_date")
            .iterator(chunk_size=5000)
        )
        for pk, given, family, original, birth in persons:
            index.add(person_keys(given, family, original), birth, person_id=pk)
        return index

    def add(self, keys, birth_date, *, person_id=None, row=None) -> None:
        entry = (person_id, row, birth_date)
        for key in keys:
            self._by_key[key].append(entry)

    def find(self, keys, birth_date, *, exclude_person=None):
        """(person id, row number) of the first suspect, or None."""
        for key in keys:
            for person_id, row, birth in self._by_key.get(key, ()):
                if exclude_person is not None and person_id == exclude_person:
                    continue
                if birth is None or birth_date is None or birth == birth_date:
                    return person_id, row
        return None
