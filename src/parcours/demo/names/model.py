"""How the name pools are written and drawn from.

A pool is a block of text, one name per line: the Latin spellings met in
registers, separated by "/", the most frequent first, then ":" and the name
as the person writes it (Arabic, Ge'ez, Persian script, Somali or
Vietnamese orthography), left out when the person writes the Latin form.
Text keeps hundreds of names readable and reviewable by someone who reads
the script; a list of tuples would not be.
"""

from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Name:
    spellings: tuple[str, ...]
    original: str = ""

    @property
    def usual(self) -> str:
        return self.spellings[0]

    def spelled(self, rng: Random) -> str:
        """The usual spelling most of the time, another one otherwise."""
        if len(self.spellings) == 1 or rng.random() < 0.6:
            return self.spellings[0]
        return rng.choice(self.spellings[1:])

    def other_spelling(self, spelling: str, rng: Random) -> str | None:
        others = [s for s in self.spellings if s != spelling]
        return rng.choice(others) if others else None


def pool(text: str) -> tuple[Name, ...]:
    names = []
    for line in text.strip().splitlines():
        latin, _sep, original = line.partition(":")
        spellings = tuple(s.strip() for s in latin.split("/") if s.strip())
        if spellings:
            names.append(Name(spellings, original.strip()))
    return tuple(names)


@dataclass(frozen=True)
class Nationality:
    country: str  # ISO 3166-1 alpha-2
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    # (ISO 639 codes spoken, relative weight): one entry is drawn per person.
    languages: tuple[tuple[tuple[str, ...], int], ...]
    # Vietnamese writes the family name first.
    family_first: bool = False

    def given_pool(self, sex: str) -> tuple[Name, ...]:
        return self.female if sex == "female" else self.male

    def draw_languages(self, rng: Random) -> list[str]:
        options = [codes for codes, _weight in self.languages]
        weights = [weight for _codes, weight in self.languages]
        return list(rng.choices(options, weights)[0])

    def original_of(self, given: Name, family: Name) -> str:
        """The full name in the person's own script, if both parts have one."""
        if not (given.original and family.original):
            return ""
        parts = (family, given) if self.family_first else (given, family)
        return " ".join(p.original for p in parts)
