"""The demo's care records, written through the services like the pages write them.

Every encounter goes through ``care.services.encounter_record`` (checks,
first-visit flags, audit), every consent through ``access.services.consent_record``,
every care-team member through ``care_assign``, in the name of the staff
member who would have done it: the demo clinicians where they work, hidden
staff accounts in the other projects. What each demo account then sees of a
person is what the access policy lets through, nothing prepared for it.
"""

import copy
import time
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from parcours.access.services import care_assign, consent_record
from parcours.care.services import encounter_record, follow_up_close
from parcours.demo.population import Draft, Household, draft_age
from parcours.demo.stories import (
    CLINICAL,
    CarePlanner,
    ConsentPlan,
    Story,
    Subject,
    Visit,
)
from parcours.org.models import ActivityType, Project, Site, Status
from parcours.people.models import Person

# Encounters per registered person, on average (plus the anonymous tallies):
# about 6,000 encounters for the 1,500 persons of the demo.
MEAN_ENCOUNTERS = 4.5
# One anonymous outreach round or day-centre tally for so many persons.
PERSONS_PER_ROUND = 12
# The demo accounts whose home page lists follow-ups due this week.
FOLLOWING_UP = ("demo-medecin", "demo-psy", "demo-social", "demo-juriste", "demo-medecin-dunkerque")
DUE_AT_LEAST = 3


@dataclass
class CareReport:
    encounters: int = 0
    consents: int = 0
    assignments: int = 0
    follow_ups_closed: int = 0
    seconds: float = 0.0


def ensure_sv_survivor(households: list[Household], today: date) -> None:
    """Even a small demo has a woman on the sexual-violence pathway in Dunkerque."""
    women = [
        draft
        for household in households
        for draft in household.members
        if draft.project == "DUN"
        and draft.data["sex"] == "female"
        and 16 <= draft_age(draft, today) <= 45
        and draft.duplicate_of is None
    ]
    if women and not any("sv_survivor" in w.data["flags"] for w in women):
        women[0].data["flags"].append("sv_survivor")


def subject_of(person: Person, draft: Draft) -> Subject:
    data = draft.data
    return Subject(
        key=person,
        project=draft.project,
        sex=data["sex"],
        birth_date=data.get("birth_date"),
        languages=data.get("languages") or [],
        interpreter_needed=bool(data.get("interpreter_needed")),
        flags=frozenset(data.get("flags") or ()),
        exit_date=draft.exit[0] if draft.exit else None,
        minority_appeal=data.get("minority_appeal") or "",
        in_family=draft.relation == "child",
        duplicate=draft.duplicate_of is not None,
    )


def encounters_for(planner: CarePlanner, subject: Subject, mean: float) -> int:
    """How many encounters this person had: fewer for a second record or a child."""
    if subject.duplicate:
        mean *= 0.3
    elif subject.in_family:
        mean *= 0.6
    elif subject.minority_appeal:
        mean *= 1.4
    if subject.project == "LBY":
        mean *= 0.8
    return planner.count(mean)


def plan_care(
    rng: Random, registered: list[tuple[Person, Draft]], today: date, mean: float
) -> Story:
    """The demo's care story: every person's, the anonymous rounds, and what the
    demo needs to show even with few persons (follow-ups due this week for the
    demo clinicians, consents of every kind and status)."""
    planner = CarePlanner(rng, today)
    subjects = [subject_of(person, draft) for person, draft in registered]
    story = Story()
    for subject in subjects:
        story.extend(planner.story(subject, encounters_for(planner, subject, mean)))
    met = [s for s in subjects if s.project == "CAL" and s.exit_date is None]
    story.visits += planner.rounds(max(2, len(subjects) // PERSONS_PER_ROUND), met)
    _follow_ups_due_this_week(planner, story)
    _every_kind_of_consent(planner, story)
    story.visits.sort(key=lambda v: v.occurred_at)
    story.consents.sort(key=lambda c: c.decided_at)
    return story


def _follow_ups_due_this_week(planner: CarePlanner, story: Story) -> None:
    """The demo clinicians have a few follow-ups due: their latest encounters with
    persons still followed are moved to the last days, with a date this week."""
    rng, today = planner.rng, planner.today
    horizon = today + timedelta(days=7)
    for username in FOLLOWING_UP:
        mine = [v for v in story.visits if v.author == username and v.discipline in CLINICAL]
        due = sum(
            1 for v in mine if v.follow_up_on and not v.follow_up_done and v.follow_up_on <= horizon
        )
        candidates = [
            v
            for v in mine
            if v.subject.exit_date is None
            and v.subject.project != "LBY"
            and "gestational_age_weeks" not in v.details
            and not v.details.get("sv_care")
            and not v.details.get("decision_date")
        ]
        candidates.sort(key=lambda v: v.occurred_at, reverse=True)
        moved: set[int] = set()
        for visit in candidates:
            if due >= DUE_AT_LEAST:
                break
            if id(visit.subject) in moved:
                continue
            moved.add(id(visit.subject))
            day = today - timedelta(days=rng.randint(1, 5))
            visit.occurred_at = planner.moment(day)
            visit.follow_up_on = today + timedelta(days=rng.randint(0, 6))
            visit.follow_up_done = False
            due += 1


def _every_kind_of_consent(planner: CarePlanner, story: Story) -> None:
    """A small demo still shows a withdrawal and every kind of consent."""
    consents = story.consents
    if not any(c.status == "withdrawn" for c in consents):
        given = [c for c in consents if c.kind == "team_sharing" and c.status == "given"]
        for consent in given:
            before = len(consents)
            planner.withdraw(story, consent)
            if len(consents) > before:
                break
    kinds = {c.kind for c in consents}
    clinical = [v for v in story.visits if v.subject is not None and v.discipline in CLINICAL]
    legal = [v for v in clinical if v.discipline == "legal_protection"] or clinical
    for kind, pool, scope in (
        ("advocacy_anonymous", legal, ""),
        ("testimony", legal, "Rapport d'observation des violences aux frontières"),
        ("photos", legal, "Photos des lésions, usage interne"),
        ("external_referral", clinical, "PASS du centre hospitalier"),
    ):
        if kind in kinds or not pool:
            continue
        visit = pool[0]
        method, language = planner._how(visit.subject, planner.interpreted_language(visit.subject))
        consents.append(
            ConsentPlan(
                visit.subject,
                kind,
                "given",
                "written" if kind in ("testimony", "photos") else method,
                language,
                visit.occurred_at + timedelta(minutes=30),
                visit.author,
                scope=scope,
            )
        )


class CareWriter:
    """Writes a Story through the services."""

    def __init__(self, projects: dict[str, Project], users: dict, registering: dict):
        self.users = users
        self.projects = projects
        # The suspended Libyan project takes its (past) records as if still open.
        self.sites: dict[tuple[str, str], Site] = {}
        for site in Site.objects.select_related("project"):
            code = site.project.code
            if code in registering and site.project.status != Status.OPEN:
                site = copy.copy(site)
                site.project = registering[code]
            self.sites[(code, site.name)] = site
        self.activities = {a.code: a for a in ActivityType.objects.all()}

    def encounter(self, visit: Visit):
        details = dict(visit.details)
        if visit.linked:
            details["linked_persons"] = [person.pk for person in visit.linked]
        return encounter_record(
            actor=self.users[visit.author],
            discipline=visit.discipline,
            site=self.sites[(visit.project, visit.site)],
            activity=self.activities.get(visit.activity),
            person=visit.subject.key if visit.subject else None,
            data=visit.data(),
            details=details,
        )

    def consent(self, plan: ConsentPlan):
        person = plan.subject.key
        if person.created_at > plan.decided_at:
            # The story begins before the seeding: the person was registered
            # then (a consent is never dated before the person's first record).
            type(person).objects.filter(pk=person.pk).update(created_at=plan.decided_at)
            person.created_at = plan.decided_at
        return consent_record(
            actor=self.users[plan.recorder],
            person=plan.subject.key,
            kind=plan.kind,
            category=plan.category,
            status=plan.status,
            method=plan.method,
            language=plan.language,
            scope=plan.scope,
            note=plan.note,
            decided_at=plan.decided_at,
        )

    def write(self, story: Story) -> CareReport:
        started = time.perf_counter()
        report = CareReport()
        closing = []
        for visit in story.visits:
            encounter = self.encounter(visit)
            report.encounters += 1
            if visit.follow_up_on and visit.follow_up_done:
                closing.append((visit.author, encounter))
        for author, encounter in closing:
            follow_up_close(actor=self.users[author], encounter=encounter)
            report.follow_ups_closed += 1
        for plan in story.consents:
            self.consent(plan)
            report.consents += 1
        for assignment in story.assignments:
            if assignment.automatic:
                continue  # encounter_record put the incident's author in the team
            care_assign(
                actor=self.users[assignment.assigner],
                person=assignment.subject.key,
                user=self.users[assignment.username],
                project=self.projects[assignment.project],
            )
            report.assignments += 1
        report.seconds = time.perf_counter() - started
        return report
