"""Finding persons: search by any spelling, filters, and likely duplicates.

``find_persons`` is the one list query of persons: the people page and the
API both call it. It starts from what parcours.access lets the user see and
narrows it; every filter a user can pass is checked there (a project outside
the user's gives no one; a vulnerability flag the user may not see is
refused before this point and gives no one here).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from parcours.access.scope import flag_filter, visible_persons
from parcours.access.terms import Action
from parcours.people.ages import birth_date_range
from parcours.people.models import Enrolment, NameKey, Person
from parcours.people.names import (
    MIN_PREFIX,
    Scorer,
    name_keys,
    query_word_keys,
    similarity,
)

MAX_CANDIDATES = 500
# A query of one word takes, per spelling, at most this many name-key rows
# (exact key first: "hmd" sorts before "hmdn"). A common given name alone
# matches a tenth of everyone; see ``_one_word_candidates``.
KEY_ROWS = MAX_CANDIDATES + 100
# The order of the people list without a query (an index serves it).
ALPHABETICAL = ("family_name", "given_name", "id")
_CODE = re.compile(r"^[A-Za-z]{2,6}-?\d{1,5}$")


@dataclass
class PersonFilters:
    project: int | None = None
    active: bool | None = True
    sex: str = ""
    age_group: str = ""
    nationality: str = ""
    flag: str = ""

    @classmethod
    def from_form(cls, data: dict) -> "PersonFilters":
        """From the people page's filter form (the active list by default)."""
        return cls(
            project=data.get("project"),
            active={"yes": True, "no": False, "all": None}.get(data.get("active") or "yes"),
            sex=data.get("sex", ""),
            age_group=data.get("age_group", ""),
            nationality=data.get("nationality", ""),
            flag=data.get("flag", ""),
        )

    def apply(self, user, persons: QuerySet, today: date | None = None) -> QuerySet:
        """Narrow ``persons`` (already the user's) by every filter but the project."""
        persons = persons.current()
        if self.active is not None:
            persons = persons.filter(is_active=self.active)
        if self.sex:
            persons = persons.filter(sex=self.sex)
        if self.nationality:
            persons = persons.filter(nationality=self.nationality.upper())
        if self.flag:
            only = flag_filter(user, self.flag)
            persons = persons.filter(only) if only is not None else persons.none()
        if self.age_group:
            lower, upper = birth_date_range(self.age_group, today or date.today())
            persons = persons.filter(birth_date__lte=upper)
            if lower is not None:
                persons = persons.filter(birth_date__gt=lower)
        return persons


@dataclass
class Found:
    """Persons found, in order: a sliceable sequence, its length and whether
    the candidates were cut (search keeps the best MAX_CANDIDATES)."""

    persons: Sequence
    count: int
    truncated: bool = False


def find_persons(
    user, filters: PersonFilters, query: str = "", *, action: str = Action.VIEW
) -> Found:
    """The persons ``user`` may take ``action`` on (see, or export) that pass
    ``filters``: best match first with a query, in alphabetical order without.
    Nothing is loaded until a page is sliced out of ``Found.persons``."""
    project = filters.project or None
    persons = filters.apply(user, visible_persons(user, action, project=project))
    query = (query or "").strip()
    if query:
        results, truncated = search(persons, query)
        return Found(results, len(results), truncated)
    ordered = persons.order_by(*ALPHABETICAL).prefetch_related("enrolments")
    # Same rows, counted in the form the database counts fastest.
    counted = filters.apply(user, visible_persons(user, action, project=project, for_count=True))
    return Found(ordered, counted.count())


def _key_condition(key: str) -> Q:
    if len(key) >= MIN_PREFIX:
        # A range instead of LIKE: it uses the index on every database.
        return Q(key__gte=key, key__lt=key + "\uffff")
    return Q(key=key)


def matching(persons: QuerySet, query: str) -> QuerySet:
    """Persons whose names (any script, any spelling) or code match the query."""
    query = (query or "").strip()
    if not query:
        return persons
    if _CODE.match(query):
        code = query.upper()
        if "-" not in code:
            code = re.sub(r"^([A-Z]+)(\d+)$", r"\1-\2", code)
        prefix, number = code.split("-")
        code = f"{prefix}-{int(number):05d}"
        return persons.filter(pk__in=Enrolment.objects.filter(code=code).values("person_id"))
    return persons.filter(_words_condition(query_word_keys(query)))


def _one_word_candidates(persons: QuerySet, keys: tuple[str, ...]) -> tuple[QuerySet, bool]:
    """The persons found by one query word, from at most ``KEY_ROWS`` name
    keys per spelling; True if a spelling had more.

    "Mohamed" alone matches ~10,000 persons of 100,000: joining all of them
    to the visible persons cost 50-90 ms of database time per search, the
    heaviest query under load (PostgreSQL hashed every enrolment; it still
    did with 2,000 ids). Each spelling's keys are read in index order and
    cut instead, inside the query (a list of ids sent back to the database
    cost ~6 ms of CPU to build and send); the few hundred persons left are
    still ranked by the scorer, and the page says the search was cut."""
    condition = Q()
    cut = False
    for key in keys:
        spelling = NameKey.objects.filter(_key_condition(key)).order_by("key", "person_id")
        condition |= Q(pk__in=spelling.values("person_id")[:KEY_ROWS])
        cut = cut or spelling[KEY_ROWS : KEY_ROWS + 1].exists()
    return persons.filter(condition), cut


def _words_condition(words: list[tuple[str, ...]]) -> Q:
    """Every query word found, in any of its spellings, alone or joined to a
    neighbour ("Najib Ullah" = "Najibullah"), in any order."""
    condition = Q()
    for keys in words:
        either = Q()
        for key in keys:
            either |= _key_condition(key)
        condition &= Q(pk__in=NameKey.objects.filter(either).values("person_id"))
    return condition


class RankedPersons(Sequence):
    """Search results as ranked ids; only the slice a page shows is loaded.

    Behaves as a sequence of Person (len and slicing), so Paginator and the
    API page through it without building hundreds of objects per request.
    """

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self, value=None) -> int:  # Paginator calls count() when it exists
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = Person.objects.prefetch_related("enrolments").in_bulk(wanted)
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1][0]


def search(persons: QuerySet, query: str) -> tuple[RankedPersons, bool]:
    """Persons matching ``query``, best match first; True if candidates were cut."""
    query = (query or "").strip()
    if not query or _CODE.match(query):
        ids = list(
            matching(persons, query)
            .order_by("family_name", "given_name", "id")
            .values_list("id", flat=True)[:MAX_CANDIDATES]
        )
        return RankedPersons(ids), False
    fields = ("id", "given_name", "family_name", "name_original")
    words = query_word_keys(query)
    if len(words) == 1:
        base, cut = _one_word_candidates(persons, words[0])
    else:
        base, cut = persons.filter(_words_condition(words)), False
    rows = list(base.values_list(*fields)[: MAX_CANDIDATES + 1])
    truncated = cut or len(rows) > MAX_CANDIDATES
    rows = rows[:MAX_CANDIDATES]
    if len(rows) < 5 and len(words) >= 3:
        # A third or fourth name the person was not registered with (the
        # grandfather's, a tribe): every word but one must still be found.
        seen = {r[0] for r in rows}
        for left_out in range(len(words)):
            others = words[:left_out] + words[left_out + 1 :]
            more = persons.filter(_words_condition(others)).values_list(*fields)[:MAX_CANDIDATES]
            rows += [r for r in more if r[0] not in seen and not seen.add(r[0])]
        rows = rows[:MAX_CANDIDATES]
    scorer = Scorer(query)
    # The whole name (any order, spelling or split) and the original script:
    # a name sharing one word with the query never ranks with a full match.
    scores = {r[0]: scorer.score(f"{r[1]} {r[2]}", r[3]) for r in rows}
    rows.sort(key=lambda r: (-scores[r[0]], r[2].lower(), r[1].lower(), r[0]))
    return RankedPersons([r[0] for r in rows]), truncated


@dataclass
class DuplicateCandidate:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)
    # The codes the reader may be shown (set by the caller that knows the reader).
    codes: list[str] = field(default_factory=list)


def likely_duplicates(
    persons: QuerySet,
    *,
    given_name: str,
    family_name: str = "",
    name_original: str = "",
    birth_date: date | None = None,
    nationality: str = "",
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Persons that look like the one being registered, most likely first."""
    keys = name_keys(given_name, family_name, name_original)
    if not keys:
        return []
    # Candidates sharing the most name keys first: with 100,000 persons a
    # common given name alone matches thousands.
    visible = persons.current()
    if exclude_id:
        visible = visible.exclude(pk=exclude_id)
    best = (
        NameKey.objects.filter(key__in=keys, person__in=visible)
        .values("person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "person_id")
        .values_list("person_id", flat=True)[:200]
    )
    candidates = Person.objects.filter(pk__in=list(best))
    results = []
    full = f"{given_name} {family_name}"
    for person in candidates.prefetch_related("enrolments"):
        name_score = similarity(
            full, f"{person.given_name} {person.family_name}", person.name_original
        )
        if name_original:
            name_score = max(
                name_score, similarity(name_original, person.display_name, person.name_original)
            )
        score = name_score * 0.6
        reasons = []
        if name_score >= 80:
            reasons.append("name")
        if birth_date and person.birth_date:
            if person.birth_date == birth_date:
                score += 25
                reasons.append("birth_date")
            elif abs((person.birth_date - birth_date).days) <= 366:
                score += 10
                reasons.append("birth_year")
        if nationality and str(person.nationality) == nationality.upper():
            score += 15
            reasons.append("nationality")
        if score >= 55:
            results.append(DuplicateCandidate(person=person, score=round(score), reasons=reasons))
    results.sort(key=lambda c: -c.score)
    return results[:limit]
