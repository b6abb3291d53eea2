"""Suspected duplicates: pairs of records that may be one person, as a queue
for those who may merge.

A pair is proposed when each record is among the first ``TOP`` results that
a name search for the other gives (the same name keys and the same scorer as
``people.search``, so every pair search puts in each other's first five is
proposed: "Mohammed Al-Ajmi" and "Mohamed ALAJMI", "Abdelrahman" and "Abdul
Rahman", a name in Arabic script and its transliteration). Pairs are ranked
by how likely they are one person, and each carries its reasons in words
(same birth year, same nationality, same phone, the names), for and against.

The pairs are computed on demand for the merger's persons, in memory from
the ``NameKey`` table (about a second for 1,500 persons), and cached until a
person, a name key or an enrolment changes. Pairs marked "not the same
person" (``NotDuplicate``) and merged records are left out at each reading.
"""

import hashlib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from rapidfuzz import fuzz

from parcours.access.scope import may_on_person, projects_where, visible_persons
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.people import names
from parcours.people.merging import same_phone
from parcours.people.models import Enrolment, NameKey, NotDuplicate, Person
from parcours.people.names import MIN_PREFIX, Scorer, fold

# Each record among the other's first TOP search results (search pages show
# five; the margin keeps every such pair when scores tie).
TOP = 8
CACHE_SECONDS = 3600
# Two names this close (0-100, the search scorer) are proposed whatever their rank.
CLOSE_NAMES = 80
# Pairs outside each other's first search results need this likelihood:
# close names (80 × 0.6) and one more fact (birth year, nationality, phone).
LIKELY = 58
# A name key held by more records than this is too common to pair them on.
MAX_HOLDERS = 500


def _word_keys(query: str) -> list[tuple[str, ...]]:
    """The keys that find each word of a query, as search matches them."""
    if hasattr(names, "query_word_keys"):
        return names.query_word_keys(query)
    return [(key,) for key in names.query_keys(query)[:6]]


@dataclass(frozen=True)
class Reason:
    """One piece of evidence, said in words; ``against`` when it speaks
    for two different persons."""

    code: str
    against: bool = False
    years: int = 0
    country: str = ""

    @property
    def label(self) -> str:
        labels = {
            "same_name": _("Same name"),
            "name_spelling": _("Same name, spelled differently"),
            "name_script": _("Same name in another script"),
            "similar_names": _("Similar names"),
            "name_word": _("Names share a word"),
            "same_birth_date": _("Same date of birth"),
            "same_birth_year": _("Same birth year"),
            "birth_years": ngettext(
                "Born %(years)d year apart", "Born %(years)d years apart", self.years
            )
            % {"years": self.years},
            "same_nationality": _("Same nationality (%(country)s)") % {"country": self.country},
            "other_nationality": _("Different nationalities"),
            "same_phone": _("Same phone number"),
            "other_sex": _("Different sex"),
        }
        return labels[self.code]


@dataclass
class SuspectedPair:
    first_id: int
    second_id: int
    likelihood: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class _Row:
    id: int
    given: str
    family: str
    original: str
    sex: str
    birth_date: date | None
    nationality: str
    phone: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    @cached_property
    def skeleton(self) -> str:
        return "".join(names.skeleton(word) for word in names.tokens(self.full))


def _fingerprint() -> tuple:
    """Changes whenever a person, a name key or an enrolment does."""
    people = Person.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    keys = NameKey.objects.aggregate(n=Count("id"), last=Max("id"))
    enrolments = Enrolment.objects.aggregate(n=Count("id"), last=Max("id"))
    return (
        people["n"],
        str(people["last"]),
        keys["n"],
        keys["last"],
        enrolments["n"],
        enrolments["last"],
    )


def suspected_pairs(user) -> list[SuspectedPair]:
    """The pairs ``user`` may merge, most likely first, without those marked
    "not the same person" and those already merged."""
    merge_projects = projects_where(user, Action.MERGE, Category.IDENTITY)
    if not merge_projects:
        return []
    # Phones are compared only for who reads them in every merge project.
    phones = merge_projects <= projects_where(user, Action.VIEW, Category.CONTACT)
    state = repr((sorted(merge_projects), phones, _fingerprint())).encode()
    key = "parcours:duplicates:" + hashlib.sha256(state).hexdigest()
    pairs = cache.get(key)
    if pairs is None:
        pairs = compute_pairs(visible_persons(user, Action.MERGE).current(), phones=phones)
        cache.set(key, pairs, CACHE_SECONDS)
    ids = {pid for pair in pairs for pid in (pair.first_id, pair.second_id)}
    dismissed = set(
        NotDuplicate.objects.filter(first_id__in=ids).values_list("first_id", "second_id")
    )
    current = set(Person.objects.current().filter(pk__in=ids).values_list("pk", flat=True))
    return [
        pair
        for pair in pairs
        if (pair.first_id, pair.second_id) not in dismissed
        and pair.first_id in current
        and pair.second_id in current
    ]


def compute_pairs(persons, *, phones: bool = True) -> list[SuspectedPair]:
    """Suspected pairs among ``persons`` (a queryset), most likely first."""
    rows = {
        r[0]: _Row(*r)
        for r in persons.values_list(
            "id",
            "given_name",
            "family_name",
            "name_original",
            "sex",
            "birth_date",
            "nationality",
            "phone",
        )
    }
    keys_of: dict[int, set[str]] = defaultdict(set)
    holders: dict[str, set[int]] = defaultdict(set)
    for person_id, key in NameKey.objects.filter(person__in=persons).values_list(
        "person_id", "key"
    ):
        keys_of[person_id].add(key)
        holders[key].add(person_id)
    sorted_keys = sorted(holders)
    found_by: dict[str, set[int]] = {}

    def holding(key: str) -> set[int]:
        """Persons with a name key equal to ``key``, or starting with it (as search)."""
        if key not in found_by:
            if len(key) >= MIN_PREFIX:
                start = bisect_left(sorted_keys, key)
                end = bisect_left(sorted_keys, key + "\uffff")
                found_by[key] = set().union(*(holders[k] for k in sorted_keys[start:end]))
            else:
                found_by[key] = set(holders.get(key, ()))
        return found_by[key]

    def found(query: str) -> set[int]:
        """The persons a name search for ``query`` finds: every word found,
        in any of its spellings (every word but one, for a long name that
        finds few)."""
        words = [set().union(*(holding(k) for k in keys)) for keys in _word_keys(query) if keys]
        if not words:
            return set()
        result = set.intersection(*words)
        if len(result) < TOP and len(words) >= 3:
            for left_out in range(len(words)):
                result |= set.intersection(*(words[:left_out] + words[left_out + 1 :]))
        return result

    ranked: dict[int, set[int]] = {}
    scores: dict[tuple[int, int], float] = {}
    for person_id, row in rows.items():
        best: dict[int, float] = {}
        for query in (row.full, row.original):
            if not query.strip():
                continue
            scorer = Scorer(query)
            for other_id in found(query) - {person_id}:
                other = rows[other_id]
                score = scorer.score(other.full, other.original)
                best[other_id] = max(best.get(other_id, 0.0), score)
        order = sorted(
            best, key=lambda pid: (-best[pid], rows[pid].family.lower(), rows[pid].given.lower())
        )
        ranked[person_id] = set(order[:TOP])
        for other_id in order[:TOP]:
            scores[(person_id, other_id)] = best[other_id]
    proposed: dict[tuple[int, int], float] = {}  # pair in id order -> name score
    mutual: set[tuple[int, int]] = set()
    for person_id, others in ranked.items():
        for other_id in others:
            name = max(scores.get((person_id, other_id), 0), scores.get((other_id, person_id), 0))
            pair = (min(person_id, other_id), max(person_id, other_id))
            if person_id in ranked.get(other_id, ()):
                mutual.add(pair)
                proposed[pair] = name
            elif name >= CLOSE_NAMES:
                proposed[pair] = name
    # Beyond search: records sharing a name key whose names are close
    # ("Mohammed Al-Ajmi" and "Mohamed ALAJMI" share only "Mohamed").
    for person_id, row in rows.items():
        sharing = set()
        for key in keys_of[person_id]:
            if len(holders[key]) <= MAX_HOLDERS:
                sharing |= holders[key]
        others = [pid for pid in sharing if pid > person_id and (person_id, pid) not in proposed]
        if not others:
            continue
        scorers = [Scorer(q) for q in (row.full, row.original) if q.strip()]
        for other_id in others:
            other = rows[other_id]
            # The consonants of the whole names first: cheap, and most differ.
            if fuzz.ratio(row.skeleton, other.skeleton) < CLOSE_NAMES - 10:
                continue
            name = max(scorer.score(other.full, other.original) for scorer in scorers)
            if name >= CLOSE_NAMES:
                proposed[(person_id, other_id)] = name
    pairs = []
    for (one, other), name in proposed.items():
        pair = _evidence(rows[one], rows[other], name, phones=phones)
        # Close names alone are not enough beyond search: one more fact is.
        if (one, other) in mutual or pair.likelihood >= LIKELY:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.likelihood, p.first_id, p.second_id))
    return pairs


def _evidence(one: _Row, other: _Row, name: float, *, phones: bool) -> SuspectedPair:
    """How likely two records are one person, and why, in words."""
    first, second = sorted((one, other), key=lambda r: r.id)
    # The search scorer reads every possible spelling of every word, so that
    # search misses nobody; two names that share few letters even so are
    # "similar" at most.
    letters = _letters_in_common(one, other)
    if letters < 60:
        name = min(name, 75)
    reasons = []
    if fold(one.full) == fold(other.full) or (
        one.original and fold(one.original) == fold(other.original)
    ):
        reasons.append(Reason("same_name"))
    elif name >= 90 and letters >= 75:
        reasons.append(Reason("name_script" if _across_scripts(one, other) else "name_spelling"))
    elif name >= 70:
        reasons.append(Reason("similar_names"))
    else:
        reasons.append(Reason("name_word"))
    likelihood = name * 0.6
    if one.birth_date and other.birth_date:
        years = abs(one.birth_date.year - other.birth_date.year)
        if one.birth_date == other.birth_date:
            likelihood += 25
            reasons.append(Reason("same_birth_date"))
        elif years == 0:
            likelihood += 15
            reasons.append(Reason("same_birth_year"))
        elif years == 1:
            likelihood += 5
            reasons.append(Reason("birth_years", years=1))
        else:
            likelihood -= min(5 * years, 25)
            reasons.append(Reason("birth_years", against=years > 2, years=years))
    if one.nationality and other.nationality:
        if one.nationality == other.nationality:
            likelihood += 10
            reasons.append(Reason("same_nationality", country=_country_name(one.nationality)))
        else:
            likelihood -= 10
            reasons.append(Reason("other_nationality", against=True))
    if phones and one.phone and other.phone and same_phone(one.phone, other.phone):
        likelihood += 30
        reasons.append(Reason("same_phone"))
    known = {"male", "female"}
    if one.sex in known and other.sex in known and one.sex != other.sex:
        likelihood -= 20
        reasons.append(Reason("other_sex", against=True))
    return SuspectedPair(first.id, second.id, round(likelihood, 1), reasons)


def _letters_in_common(one: _Row, other: _Row) -> float:
    """0-100: the written names compared letter by letter, in any script."""
    pairs = [(one.full, other.full), (one.original or one.full, other.original or other.full)]
    if one.original and other.original:
        pairs.append((one.original, other.original))
    return max(
        fuzz.ratio(one.skeleton, other.skeleton),
        *(fuzz.token_sort_ratio(fold(a), fold(b)) for a, b in pairs),
    )


def _latin(text: str) -> bool:
    return all(ord(char) < 0x250 for char in text)


def _across_scripts(one: _Row, other: _Row) -> bool:
    """The names meet only through a name written in another script."""
    if _latin(one.full) != _latin(other.full):
        return True
    for row, rest in ((one, other), (other, one)):
        if row.original and not _latin(row.original) and not rest.original:
            return Scorer(row.original).score(rest.full) > Scorer(row.full).score(rest.full)
    return False


def _country_name(code: str) -> str:
    return str(countries.name(code) or code)


@transaction.atomic
def duplicate_pair_dismiss(*, actor, first: Person, second: Person) -> NotDuplicate:
    """Record that two records are two different persons: the queue no longer
    proposes them (audited on both records)."""
    if first.pk == second.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    for person in (first, second):
        if not may_on_person(actor, Action.MERGE, Category.IDENTITY, person):
            raise PermissionDenied(
                _("Only a coordinator of both records' projects may decide on duplicates.")
            )
    first, second = sorted((first, second), key=lambda p: p.pk)
    try:
        with transaction.atomic():
            decision = NotDuplicate.objects.create(first=first, second=second, decided_by=actor)
    except IntegrityError:
        return NotDuplicate.objects.get(first=first, second=second)
    for subject, other in ((first, second), (second, first)):
        audit.record(
            actor=actor,
            event=Event.PERSON_NOT_DUPLICATE,
            subject=subject,
            extra={"other": other.pk, "decision": decision.pk},
        )
    return decision
