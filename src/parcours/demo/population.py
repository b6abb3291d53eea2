"""Invented persons for the demo and the benchmark, drawn from a seeded Random.

``plan(rng, count, today)`` returns households (a person alone, a family or
a group travelling together) whose mix follows what each project sees: girls
in minority appeal in Ile-de-France, boys in Marseille, women and families in
Dunkerque, everyone in Calais. The same seed gives the same persons; only
the birth dates move with ``today`` so that a 16-year-old stays 16.

A few persons are registered twice under another spelling, as happens when
someone comes back to another site or project: duplicate detection must
find them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from parcours.demo import circumstances
from parcours.demo.names import NATIONALITIES, Name, Nationality
from parcours.people.models import DatePrecision, Flag, MinorityAppeal, Sex

# ~20 near-duplicates in the 1,500 persons of the demo.
DUPLICATE_RATE = 20 / 1500
EXIT_RATE = 0.15


@dataclass
class Draft:
    """One person to register: ``data`` is what person_create takes."""

    project: str
    data: dict
    given: Name
    family: Name
    exit: tuple[date, str, str] | None = None
    relation: str = ""
    duplicate_of: "Draft | None" = None


@dataclass
class Household:
    project: str
    members: list[Draft]
    kind: str = ""  # "" for a person alone, else a Group.Kind
    name: str = ""


@dataclass(frozen=True)
class ProjectMix:
    code: str
    share: int
    nationalities: dict[str, int]
    households: dict[str, int]  # kind of household → weight


PROJECT_MIXES = (
    ProjectMix(
        "CAL",
        40,
        {
            "SD": 20,
            "ER": 14,
            "AF": 16,
            "IQ": 12,
            "IR": 8,
            "SY": 8,
            "ET": 5,
            "VN": 5,
            "KW": 3,
            "EG": 3,
            "SO": 3,
            "TD": 2,
            "AL": 1,
        },
        {"man": 62, "woman": 8, "minor_boy": 10, "minor_girl": 2, "family": 10, "travel_group": 8},
    ),
    ProjectMix(
        "DUN",
        20,
        {
            "IQ": 30,
            "IR": 15,
            "AF": 12,
            "ER": 10,
            "SY": 8,
            "ET": 6,
            "VN": 6,
            "KW": 5,
            "SO": 4,
            "SD": 4,
        },
        {"family": 30, "single_mother": 10, "woman": 30, "minor_girl": 10, "man": 20},
    ),
    ProjectMix(
        "IDF",
        17,
        {
            "GN": 28,
            "CI": 22,
            "ML": 14,
            "AF": 10,
            "SD": 6,
            "TD": 6,
            "SO": 4,
            "ER": 4,
            "ET": 3,
            "EG": 3,
        },
        {"appeal_girl": 52, "appeal_boy": 28, "man": 14, "woman": 6},
    ),
    ProjectMix(
        "MRS",
        15,
        {"GN": 25, "CI": 18, "ML": 12, "TN": 10, "DZ": 10, "MA": 8, "AF": 7, "SD": 5, "TD": 5},
        {"appeal_boy": 76, "appeal_girl": 4, "man": 15, "woman": 5},
    ),
    ProjectMix(
        "LBY",
        8,
        {"SD": 35, "ER": 15, "SO": 10, "ET": 10, "TD": 10, "EG": 8, "SY": 6, "CI": 3, "GN": 3},
        {"man": 65, "woman": 15, "family": 12, "minor_boy": 6, "minor_girl": 2},
    ),
)
# Where a person registered twice was seen the second time.
_MOVES = {"IDF": "MRS", "MRS": "IDF", "CAL": "DUN", "DUN": "CAL", "LBY": "CAL"}


def _weighted(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class Population:
    def __init__(self, rng: Random, today: date):
        self.rng = rng
        self.today = today

    # -- one person ----------------------------------------------------------

    def birth(self, age: int, *, documented: float = 0.1) -> dict:
        """Birth date for someone ``age`` today, and how sure we are of it."""
        rng = self.rng
        if rng.random() < documented:
            precision = DatePrecision.EXACT
        else:
            precision = DatePrecision.DECLARED if rng.random() < 0.65 else DatePrecision.ESTIMATED
        if precision != DatePrecision.EXACT and rng.random() < 0.35:
            # Registers abroad write 1 January when only the year is known.
            born = date(self.today.year - age, 1, 1)
        else:
            born = _years_ago(self.today, age) - timedelta(days=rng.randint(0, 364))
        return {"birth_date": born, "birth_date_precision": str(precision)}

    def person(
        self,
        project: str,
        nationality: Nationality,
        sex: str,
        age: int,
        *,
        family: Name | None = None,
        alone: bool = True,
        documented: float = 0.1,
    ) -> Draft:
        rng = self.rng
        sex = str(sex)
        given = rng.choice(nationality.given_pool(sex))
        family = family or rng.choice(nationality.family)
        given_name, family_name = given.spelled(rng), family.spelled(rng)
        languages = nationality.draw_languages(rng)
        if "fr" in languages or age < 6:
            interpreter = False
        elif "en" in languages:
            interpreter = rng.random() < 0.4
        else:
            interpreter = rng.random() < 0.95
        data = {
            "given_name": given_name,
            "family_name": family_name,
            "name_original": nationality.original_of(given, family),
            "sex": sex,
            **self.birth(age, documented=documented),
            "nationality": nationality.country,
            "languages": languages,
            "interpreter_needed": interpreter,
            "flags": circumstances.flags_for(
                rng, project=project, country=nationality.country, sex=sex, age=age
            ),
            "aliases": [],
        }
        if alone and age < 18:
            data["flags"].insert(0, str(Flag.UNACCOMPANIED_MINOR))
        if alone and sex == Sex.FEMALE and age >= 18:
            data["flags"].append(str(Flag.SINGLE_WOMAN))
        if age >= 14:
            data.update(circumstances.contact_for(rng, project=project, given=given_name, age=age))
        if rng.random() < 0.06:
            other = given.other_spelling(given_name, rng)
            if other:
                data["aliases"].append(f"{other} {family_name}")
        return Draft(project, data, given, family)

    def in_appeal(self, project: str, nationality: Nationality, sex: str) -> Draft:
        """A minor contesting the département's finding that they are an adult."""
        rng = self.rng
        age = rng.choice((15, 16, 16, 17, 17, 17))
        # Some have a birth certificate or a supplementary judgment; it is contested anyway.
        draft = self.person(project, nationality, sex, age, documented=0.15)
        status = rng.choices(
            [MinorityAppeal.PENDING, MinorityAppeal.REJECTED, MinorityAppeal.RECOGNISED, ""],
            [55, 20, 15, 10],
        )[0]
        draft.data["minority_appeal"] = str(status)
        if status:
            draft.data["assessed_age"] = rng.choice((18, 18, 19, 19, 20))
            draft.data["assessed_on"] = self.today - timedelta(days=rng.randint(20, 400))
        return draft

    # -- households ----------------------------------------------------------

    def household(self, mix: ProjectMix, room: int) -> Household:
        """One household of the project, of at most ``room`` persons."""
        rng = self.rng
        nationality = NATIONALITIES[_weighted(rng, mix.nationalities)]
        kind = _weighted(rng, mix.households)
        code = mix.code
        # A family has at least one child besides its parents.
        if kind == "family" and room >= 3:
            return self.family(code, nationality, room, with_father=True)
        if kind == "single_mother" and room >= 2:
            return self.family(code, nationality, room, with_father=False)
        if kind == "travel_group" and room >= 2:
            return self.travel_group(code, nationality, room)
        if kind == "appeal_girl":
            draft = self.in_appeal(code, nationality, Sex.FEMALE)
        elif kind == "appeal_boy":
            draft = self.in_appeal(code, nationality, Sex.MALE)
        elif kind in ("minor_boy", "minor_girl"):
            sex = Sex.FEMALE if kind == "minor_girl" else Sex.MALE
            draft = self.person(code, nationality, sex, rng.randint(14, 17))
        elif kind in ("woman", "single_mother"):
            draft = self.person(code, nationality, Sex.FEMALE, round(rng.triangular(18, 45, 26)))
        else:
            draft = self.person(code, nationality, Sex.MALE, round(rng.triangular(18, 55, 25)))
        return Household(code, [draft])

    def family(self, project: str, nationality: Nationality, room: int, *, with_father: bool):
        rng = self.rng
        mother_age = rng.randint(20, 42)
        members = []
        if with_father:
            father = self.person(
                project, nationality, Sex.MALE, mother_age + rng.randint(0, 10), alone=False
            )
            father.relation = "head"
            members.append(father)
        mother = self.person(project, nationality, Sex.FEMALE, mother_age, alone=False)
        mother.relation = "spouse" if with_father else "head"
        if not with_father:
            mother.data["flags"].append(str(Flag.SINGLE_PARENT))
        members.append(mother)
        # Children carry the father's family name, or the mother's when she is alone.
        children_family = members[0].family
        for _ in range(min(rng.randint(1, 4), room - len(members))):
            child_age = rng.randint(0, min(17, mother_age - 16))
            child = self.person(
                project,
                nationality,
                rng.choice((Sex.FEMALE, Sex.MALE)),
                child_age,
                family=children_family,
                alone=False,
            )
            child.relation = "child"
            members.append(child)
        name = f"Famille {members[0].data['family_name'] or members[0].data['given_name']}"
        return Household(project, members, "family", name)

    def travel_group(self, project: str, nationality: Nationality, room: int) -> Household:
        rng = self.rng
        size = min(rng.randint(2, 4), room)
        members = [
            self.person(project, nationality, Sex.MALE, rng.randint(17, 30)) for _ in range(size)
        ]
        for member in members:
            member.relation = "companion"
        members[0].relation = "head"
        return Household(project, members, "group", f"Groupe de {members[0].data['given_name']}")

    # -- registered twice ----------------------------------------------------

    def registered_again(self, original: Draft) -> Draft:
        """The same person registered again, spelled another way, maybe elsewhere."""
        rng = self.rng
        data = {**original.data, "flags": list(original.data["flags"]), "aliases": []}
        given = original.given.other_spelling(original.data["given_name"], rng)
        data["given_name"] = given or original.data["given_name"]
        if rng.random() < 0.5:
            other = original.family.other_spelling(original.data["family_name"], rng)
            data["family_name"] = other or original.data["family_name"]
        if rng.random() < 0.5:
            data["name_original"] = ""  # registered in a hurry, without an interpreter
        data.pop("phone", None)
        data.pop("contact_notes", None)
        born = original.data["birth_date"]
        roll = rng.random()
        if roll < 0.3:
            shifted = born + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 45))
            born = min(shifted, self.today)
        elif roll < 0.5:
            born = date(born.year, 1, 1)
        data["birth_date"] = born
        project = original.project if rng.random() < 0.5 else _MOVES[original.project]
        return Draft(project, data, original.given, original.family, duplicate_of=original)


def draft_age(draft: Draft, today: date) -> int:
    born = draft.data["birth_date"]
    return today.year - born.year - int((today.month, today.day) < (born.month, born.day))


def _quotas(count: int) -> dict[str, int]:
    total_share = sum(mix.share for mix in PROJECT_MIXES)
    quotas = {mix.code: count * mix.share // total_share for mix in PROJECT_MIXES}
    quotas[PROJECT_MIXES[0].code] += count - sum(quotas.values())
    return quotas


def plan(rng: Random, count: int, today: date) -> list[Household]:
    """``count`` invented persons in households, near-duplicates last."""
    population = Population(rng, today)
    duplicates = round(count * DUPLICATE_RATE) if count >= 40 else 0
    households: list[Household] = []
    for mix in PROJECT_MIXES:
        room = _quotas(count - duplicates)[mix.code]
        while room > 0:
            household = population.household(mix, room)
            room -= len(household.members)
            if rng.random() < EXIT_RATE:
                left = circumstances.exit_for(rng, project=mix.code, today=today)
                for member in household.members:
                    member.exit = left
            households.append(household)
    # Only a name with several spellings can be misspelled into a near-duplicate.
    alone = [
        h.members[0] for h in households if not h.kind and len(h.members[0].given.spellings) > 1
    ]
    for original in rng.sample(alone, min(duplicates, len(alone))):
        again = population.registered_again(original)
        households.append(Household(again.project, [again]))
    return households


def drafts(households: list[Household]) -> list[Draft]:
    return [member for household in households for member in household.members]
