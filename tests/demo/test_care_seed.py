"""The demo's care records: every discipline, every kind of consent, a sexual-violence
pathway with its care team, follow-ups due, and what each demo account sees."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from parcours.access.models import CareAssignment, Consent, ConsentKind, ConsentStatus
from parcours.access.policy import allowed
from parcours.access.terms import Action, Category
from parcours.accounts.models import Membership, User
from parcours.audit.models import AuditEvent
from parcours.care.choices import DISCIPLINE_CATEGORY, Discipline
from parcours.care.icd10 import icd10_label
from parcours.care.models import Diagnosis, Encounter, SVIncident
from parcours.care.record import FULL, HIDDEN, TEAM_NOTE, person_record
from parcours.care.views import follow_ups_due
from parcours.demo.seed import seed_demo
from parcours.demo.stories import INTERPRETED_AS
from parcours.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 60-person demo seeded once for the module (dated today: the home page
    reads follow-ups against today), rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        report = seed_demo(persons=60, today=timezone.localdate())
        yield report
        transaction.set_rollback(True)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_seed_records_encounters_of_every_discipline_through_the_services(demo):
    assert demo.care.encounters == Encounter.objects.count() > 60 * 3
    assert set(Encounter.objects.values_list("discipline", flat=True)) == set(Discipline.values)
    recorded = AuditEvent.objects.filter(event="encounter.record")
    assert recorded.count() == Encounter.objects.count()


def test_every_encounter_is_written_by_staff_of_its_project_allowed_to(demo):
    roles = {}
    for user_id, project_id, role in Membership.objects.values_list("user", "project", "role"):
        roles.setdefault((user_id, project_id), set()).add(role)
    for author_id, project_id, discipline in Encounter.objects.values_list(
        "author", "project", "discipline"
    ).distinct():
        category = DISCIPLINE_CATEGORY[discipline]
        assert any(
            allowed(role, category, Action.CREATE) for role in roles[(author_id, project_id)]
        ), (author_id, project_id, discipline)


def test_structured_fields_are_realistic(demo):
    assert Diagnosis.objects.exists()
    assert all(icd10_label(code) for code in Diagnosis.objects.values_list("icd10", flat=True))
    medical = Encounter.objects.filter(discipline="medical")
    assert medical.filter(medical__temperature_c__isnull=False).exists()
    assert medical.filter(medical__pregnant=True, medical__gestational_age_weeks__gt=0).exists()
    assert medical.exclude(medical__contraception="").exists()
    mental = Encounter.objects.filter(discipline="mental_health")
    assert mental.filter(is_first_visit=True, mental_health__cgi_severity__isnull=False).exists()
    assert mental.filter(mental_health__cgi_improvement__isnull=False).exists()
    social_actions = {
        action
        for actions in Encounter.objects.filter(discipline="social").values_list(
            "social__actions", flat=True
        )
        for action in actions
    }
    assert social_actions & {"ame_application", "pass_referral", "call_115"}
    appeals = Encounter.objects.filter(legal__procedure="minority_appeal")
    assert set(appeals.values_list("project__code", flat=True)) <= {"IDF", "MRS"}
    assert appeals.exists()
    assert Encounter.objects.filter(
        discipline="outreach", person__isnull=True, tallies__count__gt=0, project__code="CAL"
    ).exists()
    assert Encounter.objects.filter(discipline="shelter", activity_details__nights__gt=0).exists()
    assert Encounter.objects.exclude(confidential_note="").exists()


def test_interpreters_speak_a_language_of_the_person(demo):
    rows = Encounter.objects.exclude(interpreter_language="").values_list(
        "interpreter_language", "person__languages"
    )
    assert rows
    for language, spoken in rows:
        assert language in {INTERPRETED_AS.get(code, code) for code in spoken}


def test_consents_of_every_kind_and_status(demo):
    assert set(Consent.objects.values_list("kind", flat=True)) == set(ConsentKind.values)
    assert set(Consent.objects.values_list("status", flat=True)) == set(ConsentStatus.values)
    registered = Consent.objects.filter(kind="registration").values("person").distinct().count()
    assert registered > 0.8 * Person.objects.count()
    withdrawn = Consent.objects.filter(status="withdrawn").first()
    earlier = Consent.objects.filter(
        person=withdrawn.person, kind=withdrawn.kind, category=withdrawn.category, status="given"
    )
    assert earlier.filter(decided_at__lt=withdrawn.decided_at).exists()


def test_a_survivor_of_sexual_violence_in_dunkerque_has_her_care_team(demo):
    incident = SVIncident.objects.select_related("encounter__person").filter(
        encounter__project__code="DUN"
    )[0]
    survivor = incident.encounter.person
    assert incident.gbv_type and incident.hours_to_care is not None
    assert incident.encounter.author.username == "demo-medecin-dunkerque"
    team = set(
        CareAssignment.objects.filter(person=survivor, ended_at__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert "demo-medecin-dunkerque" in team
    assert team & {"demo-psy", "demo-juriste"}
    care = Encounter.objects.get(
        person=survivor, discipline="medical", medical__sv_care=True
    ).medical
    assert care.hours_since_incident == incident.hours_to_care
    if care.pep_given:
        assert care.hours_since_incident <= 72
    for username in team:
        record = person_record(user(username), survivor)
        levels = [
            e.level for s in record.sections if s.category == "sv_incident" for e in s.entries
        ]
        assert levels == [FULL], username
    # Outside the care team the incident is only counted, without saying what it is.
    record = person_record(user("demo-social"), survivor)
    assert not [s for s in record.sections if s.category == "sv_incident"]


def test_the_demo_clinicians_have_follow_ups_due_this_week(demo, client):
    today = timezone.localdate()
    for username in ("demo-medecin", "demo-psy", "demo-social"):
        clinician = user(username)
        due = follow_ups_due(clinician)
        assert due, username
        assert any(today <= f["due"] <= today + timedelta(days=7) for f in due), username
        client.force_login(clinician)
        page = client.get("/").content.decode()
        assert due[0]["person_name"] in page


def _calais_person_with_shared_medical_notes() -> Person:
    consents = Consent.objects.filter(
        kind="team_sharing", category="medical", status="given", project__code="CAL"
    ).values("person")
    candidates = Person.objects.filter(
        pk__in=consents, encounters__discipline="medical", encounters__project__code="CAL"
    ).exclude(encounters__team_note="")
    for person in candidates.distinct():
        statuses = list(
            Consent.objects.filter(
                person=person, kind="team_sharing", category="medical"
            ).values_list("status", flat=True)
        )
        if statuses[0] == "given":  # the latest decision (newest first)
            return person
    raise AssertionError("no Calais person shares medical team notes")


def test_what_each_demo_account_sees_of_a_calais_record(demo):
    person = _calais_person_with_shared_medical_notes()

    doctor = person_record(user("demo-medecin"), person)
    medical = [e for e in doctor.visible_entries() if e.category == "medical"]
    assert medical and all(e.level == FULL for e in medical)

    social = person_record(user("demo-social"), person)
    shared = [e for e in social.visible_entries() if e.category == "medical"]
    assert shared and all(e.level == TEAM_NOTE and e.confidential_note is None for e in shared)

    reception = person_record(user("demo-accueil"), person)
    assert {e.category for e in reception.visible_entries()} <= {Category.ACTIVITY.value}
    for username in ("demo-admin", "demo-plaidoyer", "demo-safeguarding", "demo-meal"):
        assert person_record(user(username), person).visible_entries() == [], username


def test_other_disciplines_see_counts_where_the_person_did_not_consent(demo):
    hidden = 0
    for person in Person.objects.filter(enrolments__project__code="CAL"):
        record = person_record(user("demo-social"), person)
        hidden += sum(s.hidden_count for s in record.sections if s.category == "medical")
        assert all(e.level != HIDDEN for e in record.visible_entries())
    assert hidden > 0


def test_the_same_seed_plans_the_same_care():
    def encounters():
        with transaction.atomic():
            seed_demo(persons=15, seed=3, today=date(2025, 6, 1))
            # Sorted in Python: rows tied on time and discipline have no
            # database order (PostgreSQL and SQLite differ).
            # The team note is encrypted: read through instances.
            rows = sorted(
                (
                    (e.occurred_at, e.discipline, e.person and e.person.given_name, e.team_note)
                    for e in Encounter.objects.select_related("person")
                ),
                key=lambda row: (row[0], row[1], row[2] or "", row[3]),
            )
            transaction.set_rollback(True)
        return rows

    first = encounters()
    assert first and first == encounters()
