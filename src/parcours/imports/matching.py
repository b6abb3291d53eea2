"""Suspected duplicates of imported persons, against the registry and within
the file, with the registry's cross-script name folding (people.names).

Built once per import: an in-memory index from a name key (the sorted
phonetic skeletons of the name's words, so that "Mohamed Ali", "ALI
Mohammed" and "محمد علي" meet) to the persons holding it. A row is a suspect
when it shares a key with a person whose date of birth does not contradict
its own (same date, or one of them unknown).

Speed (bench/import.py matches 100,000 rows against 100,000 persons): a full
name is mostly new, its words are not. ``people.names.fold`` works letter by
letter (NFC, transliteration, lower case, then the words between the
non-letters), so the folded words of "given family" are those of "given"
followed by those of "family": each part is folded once per distinct part,
and the keys of a full name are put together from its words' cached
skeletons. ``name_key`` and ``people.names.person_name_keys`` stay the
reference; tests/imports/test_matching.py checks that both give the same
keys on a generated population and on names of every script.
"""

from collections import defaultdict
from datetime import date
from functools import lru_cache

from parcours.people.models import Person
from parcours.people.names import (
    ABBREVIATIONS,
    ARTICLES,
    fold,
    name_keys,
    skeleton,
    tokens,
    variants,
)


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The reference key of one name (what ``full_name_key`` must equal)."""
    words = tokens(name or "")
    return " ".join(sorted(skeleton(word) for word in words if word))


@lru_cache(maxsize=200_000)
def _folded(part: str) -> tuple[str, ...]:
    return tuple(ABBREVIATIONS.get(word, word) for word in fold(part).split())


def _words(*parts: str) -> list[str]:
    """``people.names.tokens(" ".join(parts))`` from each part's cached folding:
    the articles are dropped over the whole name, as tokens does."""
    words = [word for part in parts if part for word in _folded(part)]
    return [word for word in words if word not in ARTICLES] or words


def full_name_key(given: str, family: str) -> str:
    """``name_key(f"{given} {family}")``, from the parts' cached words."""
    return " ".join(sorted(skeleton(word) for word in _words(given or "", family or "")))


def _key_of_words(parts: list[str]) -> str:
    """``name_key(" ".join(parts))``, from the parts' cached words."""
    return " ".join(sorted(skeleton(word) for word in _words(*parts)))


def person_keys(given: str, family: str, original: str = "") -> set[str]:
    # The name in its original script, word by word too (its words repeat,
    # whole names seldom): split on the ASCII space only, which folding
    # keeps as a space whatever surrounds it.
    keys = {full_name_key(given, family), _key_of_words((original or "").split(" "))}
    keys.discard("")
    return keys


@lru_cache(maxsize=200_000)
def _part_keys(name: str) -> frozenset[str]:
    return frozenset(name_keys(name))


def search_keys(given: str, family: str, original: str, aliases=()) -> set[str]:
    """``people.names.person_name_keys`` (the ``NameKey`` rows of a person):
    each name's keys cached per distinct name, those of "given family" put
    together from its words' cached variants."""
    keys: set[str] = set()
    for name in (given, family, original, *aliases):
        keys |= _part_keys(name)
    words = _words(given, family)
    whole: set[str] = set()
    for word in words:
        whole.update(variants(word))
    for first, second in zip(words, words[1:], strict=False):
        whole.update(variants(first + second))
    whole.discard("")
    keys.update(key[:60] for key in whole)
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
