"""What the care planner plans: the persons it plans for, their encounters,
consent decisions and care teams, and the codes of the disciplines."""

from dataclasses import dataclass, field
from datetime import date, datetime

MEDICAL, MENTAL_HEALTH, SOCIAL, LEGAL = "medical", "mental_health", "social", "legal_protection"
SV, OUTREACH, SHELTER, DAY_CENTRE = "sv_incident", "outreach", "shelter", "day_centre"
CLINICAL = (MEDICAL, MENTAL_HEALTH, SOCIAL, LEGAL)


@dataclass(slots=True, eq=False)
class Subject:
    """One registered person as the planner needs them."""

    key: object  # the Person (seed) or its id (generate)
    project: str
    sex: str
    birth_date: date | None
    languages: list[str]
    interpreter_needed: bool
    flags: frozenset[str]
    exit_date: date | None = None
    minority_appeal: str = ""
    in_family: bool = False
    duplicate: bool = False


@dataclass(slots=True, eq=False)
class Visit:
    """One encounter to record: ``details`` is what encounter_record takes."""

    discipline: str
    project: str
    site: str
    activity: str
    author: str
    occurred_at: datetime
    subject: Subject | None
    details: dict
    team_note: str = ""
    confidential_note: str = ""
    interpreter_mode: str = ""
    interpreter_language: str = ""
    follow_up_on: date | None = None
    follow_up_done: bool = False
    linked: tuple = ()  # keys of the registered persons met (outreach rounds)

    def data(self) -> dict:
        return {
            "occurred_at": self.occurred_at,
            "interpreter_mode": self.interpreter_mode,
            "interpreter_language": self.interpreter_language,
            "team_note": self.team_note,
            "confidential_note": self.confidential_note,
            "follow_up_on": self.follow_up_on,
        }


@dataclass(slots=True, eq=False)
class ConsentPlan:
    subject: Subject
    kind: str
    status: str
    method: str
    language: str
    decided_at: datetime
    recorder: str
    category: str = ""
    scope: str = ""
    note: str = ""


@dataclass(slots=True, eq=False)
class AssignmentPlan:
    subject: Subject
    username: str
    project: str
    assigner: str
    # The author of the incident is put in the care team by encounter_record itself.
    automatic: bool = False


@dataclass
class Story:
    visits: list[Visit] = field(default_factory=list)
    consents: list[ConsentPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)

    def extend(self, other: "Story") -> None:
        self.visits += other.visits
        self.consents += other.consents
        self.assignments += other.assignments
