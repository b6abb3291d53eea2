"""Care plans, without the database: what the services would be asked to record."""

from collections import Counter
from datetime import date
from random import Random

import pytest
from django.core.exceptions import ValidationError

from parcours.care.services import detail_fields
from parcours.care.validation import clean_common, clean_details
from parcours.demo.care_seed import MEAN_ENCOUNTERS, plan_care, subject_of
from parcours.demo.population import drafts, plan
from parcours.demo.stories import CarePlanner, Subject

TODAY = date(2025, 6, 1)


class _Person:
    """What clean_common reads of a person."""

    def __init__(self, draft):
        self.birth_date = draft.data["birth_date"]


@pytest.fixture(scope="module")
def story():
    registered = [(_Person(d), d) for d in drafts(plan(Random(7), 600, TODAY))]
    return plan_care(Random("7:care"), registered, TODAY, MEAN_ENCOUNTERS)


def test_about_four_encounters_per_person(story):
    persons = Counter(id(v.subject) for v in story.visits if v.subject)
    assert 3.5 * 600 < len(story.visits) < 5 * 600
    assert max(persons.values()) < 60


def test_every_planned_encounter_passes_the_services_checks(story):
    errors = Counter()
    for visit in story.visits:
        try:
            clean_common(visit.data(), person=visit.subject.key if visit.subject else None)
            clean_details(dict(visit.details), allowed_fields=detail_fields(visit.discipline))
        except ValidationError as error:
            errors[str(error.message_dict)] += 1
    assert not errors


def test_follow_ups_are_after_their_encounter_and_consents_in_the_past(story):
    for visit in story.visits:
        if visit.follow_up_on:
            assert visit.follow_up_on >= visit.occurred_at.date()
    assert all(c.decided_at.date() < TODAY for c in story.consents)


def test_libyan_care_stopped_when_the_project_was_suspended(story):
    libya = [v for v in story.visits if v.project == "LBY"]
    assert libya and max(v.occurred_at.date() for v in libya) < date(2024, 6, 1)


def _survivor(i: int) -> Subject:
    return Subject(
        key=i,
        project="DUN",
        sex="female",
        birth_date=date(1998, 3, 1),
        languages=["ku", "ar"],
        interpreter_needed=True,
        flags=frozenset({"sv_survivor", "single_woman"}),
    )


def test_sexual_violence_pathway_pep_only_within_72_hours_and_not_for_everyone():
    planner = CarePlanner(Random(11), TODAY)
    care = []
    for i in range(200):
        story = planner.story(_survivor(i), 4)
        kinds = [v.discipline for v in story.visits]
        assert kinds.count("sv_incident") == 1
        incident = next(v for v in story.visits if v.discipline == "sv_incident")
        assert incident.author == "demo-medecin-dunkerque"
        team = {a.username for a in story.assignments}
        assert "demo-medecin-dunkerque" in team
        if "mental_health" in kinds:
            assert "demo-psy" in team
        care += [v.details for v in story.visits if v.details.get("sv_care")]
    given = [d for d in care if d.get("pep_given")]
    assert given and all(d["hours_since_incident"] <= 72 for d in given)
    assert any(d.get("pep_given") is False for d in care)
    assert any(d.get("emergency_contraception_given") for d in care)
    assert any(d.get("certificate_issued") for d in care)


def test_the_subject_of_a_draft_keeps_what_care_depends_on():
    households = plan(Random(2), 80, TODAY)
    draft = next(d for d in drafts(households) if d.exit)
    subject = subject_of(object(), draft)
    assert subject.exit_date == draft.exit[0]
    assert subject.project == draft.project
