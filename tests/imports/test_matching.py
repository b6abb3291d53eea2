"""The import's fast name keys against the reference ones (people.names), and
its duplicate matching against the reference matcher, on a generated
population with known duplicates and on names of every script."""

from datetime import date
from random import Random

import pytest

from parcours.demo.population import drafts, plan
from parcours.imports import matching
from parcours.imports.matching import DuplicateIndex
from parcours.people.names import person_name_keys

# Scripts, articles, abbreviations, compounds, marks, empty parts.
TRICKY = [
    ("Mohamed", "Ali", ""),
    ("ALI", "Mohammed", "محمد علي"),
    ("", "", ""),
    ("Al", "", ""),
    ("Al", "El", ""),
    ("el", "Hassan", ""),
    ("Abd", "Allah", ""),
    ("Abdel Rahman", "Al-Ajmi", "عبد الرحمن العجمي"),
    ("Md.", "Hossain", ""),
    ("Najib", "Ullah", ""),
    ("Gebre", "Medhin", "ገብረ መድህን"),
    ("ተኽለ", "ብርሃነ", ""),
    ("Xasan", "Cabdi", ""),
    ("Johannes", "Diallo", ""),
    ("José", "Núñez", ""),
    ("Zoë", "O'Neil", ""),
    ("Nasr", "ud-Din", ""),
    ("  Amina ", " Yusuf  ", ""),
    ("Łukasz", "Żółć", ""),
    ("Ахмед", "Иванов", ""),
    ("A\u0301bdul", "\u0301Karim", ""),
    ("Thích", "Nhất Hạnh", ""),
    ("ال", "محمد", ""),
    ("أحمد ال", "محمد", ""),
    ("123", "Ahmed", ""),
    ("Ahmed", "ash", ""),
    ("", "", "  عبد  الله ال محمد "),
    ("", "", "ال ال"),
    ("", "", "ال محمد"),
    ("", "", "Md. Al Amin"),
    ("", "", "ገብረ መድህን"),
]


def population(count: int, seed: str) -> list[dict]:
    return [d.data for d in drafts(plan(Random(seed), count, date(2026, 1, 1)))][:count]


def names_of(count: int, seed: str):
    yield from TRICKY
    for data in population(count, seed):
        given, family = data.get("given_name", ""), data.get("family_name", "")
        original = data.get("name_original", "")
        yield given, family, original
        # The same person written otherwise: order swapped, upper case, in one field.
        yield family.upper(), given, ""
        yield f"{given} {family}", "", original


def test_fast_keys_equal_the_reference_keys():
    checked = 0
    for given, family, original in names_of(3000, "keys"):
        assert matching.full_name_key(given, family) == matching.name_key(f"{given} {family}")
        assert matching.person_keys(given, family, original) == (
            {matching.name_key(f"{given} {family}"), matching.name_key(original)} - {""}
        )
        aliases = [original] if original else []
        assert matching.search_keys(given, family, original, aliases) == person_name_keys(
            given, family, original, aliases
        )
        checked += 1
    assert checked > 9000


def reference_keys(given, family, original):
    keys = {matching.name_key(f"{given} {family}"), matching.name_key(original)}
    keys.discard("")
    return keys


def run_matching(existing, rows, keys_of):
    """What the persons sheet does: each row against the registry and the
    earlier rows; a row not suspected joins the index."""
    index = DuplicateIndex()
    for pk, (given, family, original, birth) in enumerate(existing, start=1):
        index.add(keys_of(given, family, original), birth, person_id=pk)
    found = []
    for number, (given, family, original, birth) in enumerate(rows, start=2):
        keys = keys_of(given, family, original)
        suspect = index.find(keys, birth)
        found.append(suspect)
        if suspect is None:
            index.add(keys, birth, row=number)
    return found


@pytest.mark.parametrize("seed", ["one", "two"])
def test_fast_matching_finds_the_reference_duplicates(seed):
    rng = Random(seed)
    people = [
        (
            d.get("given_name", ""),
            d.get("family_name", ""),
            d.get("name_original", ""),
            d.get("birth_date"),
        )
        for d in population(2000, seed)
    ]
    existing, fresh = people[:1000], people[1000:]
    # Known duplicates: existing persons written otherwise (order, case, one
    # field), some with an unknown or another date of birth; and rows repeated
    # later in the file.
    planted = []
    for given, family, original, birth in rng.sample(existing, 200):
        shape = rng.randrange(3)
        if shape == 0:
            planted.append((family.upper(), given, "", birth))
        elif shape == 1:
            planted.append((f"{given} {family}", "", original, None))
        else:
            planted.append((given, family, "", date(1900, 1, 1)))
    repeats = [(g.lower(), f, o, b) for g, f, o, b in rng.sample(fresh, 100)]
    rows = fresh + planted + repeats
    rng.shuffle(rows)
    fast = run_matching(existing, rows, matching.person_keys)
    reference = run_matching(existing, rows, reference_keys)
    assert fast == reference
    suspects = {rows[i] for i, s in enumerate(fast) if s is not None}
    against_registry = [s for s in fast if s is not None and s[0] is not None]
    within_file = [s for s in fast if s is not None and s[1] is not None]
    # Every planted duplicate whose date of birth does not contradict is found.
    assert all(p in suspects for p in planted if p[3] != date(1900, 1, 1) or p[3] is None)
    assert len(against_registry) >= 130 and len(within_file) >= 50
