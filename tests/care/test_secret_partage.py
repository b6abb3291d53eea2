"""The secret partagé, role by role, on one person's record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parcours.access import services as access_services
from parcours.access.models import Consent
from parcours.care.record import FULL, TEAM_NOTE, person_record


@pytest.fixture
def amanuel(world, make_person, record):
    person = make_person()
    record(
        world.doctor,
        person,
        "medical",
        team_note="Needs rest, no heavy work",
        confidential_note="HIV positive, on ART",
        details={"morbidity": "scabies"},
    )
    record(
        world.psychologist,
        person,
        "mental_health",
        team_note="Sleeps badly",
        confidential_note="Nightmares about Libya",
    )
    record(
        world.social_worker,
        person,
        "social",
        team_note="Has AME now",
        details={"needs": ["housing"]},
    )
    return person


def levels(user, person):
    rec = person_record(user, person)
    return {s.category: [e.level for e in s.entries] for s in rec.sections if s.entries}, rec


def test_doctor_sees_medical_in_full_and_nothing_else_without_consent(world, amanuel):
    seen, rec = levels(world.doctor, amanuel)
    assert seen == {"medical": [FULL]}
    medical = rec.sections[0].entries[0]
    assert medical.confidential_note == "HIV positive, on ART"
    hidden = {s.category: s.hidden_count for s in rec.sections}
    assert hidden == {"medical": 0, "mental_health": 1, "social": 1}


def test_team_sharing_consent_shows_only_the_team_note_to_other_disciplines(
    world, amanuel, consent
):
    consent(amanuel, "medical")
    seen, rec = levels(world.social_worker, amanuel)
    assert seen["medical"] == [TEAM_NOTE]
    entry = rec.sections[0].entries[0]
    assert entry.team_note == "Needs rest, no heavy work"
    assert entry.confidential_note is None and entry.details == []


def test_withdrawal_hides_team_notes_from_the_next_request(world, amanuel, consent):
    consent(amanuel, "medical")
    assert levels(world.social_worker, amanuel)[0]["medical"] == [TEAM_NOTE]
    consent(amanuel, "medical", status="withdrawn")
    seen, rec = levels(world.social_worker, amanuel)
    assert "medical" not in seen
    assert Consent.objects.filter(person=amanuel).count() == 2  # history kept


def test_admin_meal_and_advocacy_see_no_content(world, amanuel):
    for user in (world.admin, world.meal, world.advocacy, world.safeguarding):
        seen, rec = levels(user, amanuel)
        assert seen == {}, user


def test_sexual_violence_incident_only_for_assigned_team_and_referent(world, make_person, record):
    survivor = make_person(given_name="Hawa", sex="female")
    record(
        world.doctor,
        survivor,
        "sv_incident",
        details={"gbv_type": "rape", "narrative": "Attacked near the canal"},
    )
    # The author was assigned by recording it.
    assert levels(world.doctor, survivor)[0]["sv_incident"] == [FULL]
    assert levels(world.referent, survivor)[0]["sv_incident"] == [FULL]
    for user in (world.psychologist, world.lawyer, world.social_worker):
        seen, rec = levels(user, survivor)
        assert "sv_incident" not in seen, user
        assert rec.restricted_count == 1  # a clinician of the team knows something exists
    # A coordinator is not a care discipline: not even told that a restricted entry exists.
    seen, rec = levels(world.coordinator, survivor)
    assert "sv_incident" not in seen
    assert rec.restricted_count == 0
    access_services.care_assign(
        actor=world.referent, person=survivor, user=world.psychologist, project=world.calais
    )
    seen, rec = levels(world.psychologist, survivor)
    assert seen["sv_incident"] == [FULL]
    assert rec.sections[0].entries[0].details  # GBVIMS type shown


def test_sexual_violence_is_never_shown_as_team_note_even_with_consents(
    world, make_person, record, consent
):
    survivor = make_person(given_name="Hawa", sex="female")
    record(
        world.doctor,
        survivor,
        "sv_incident",
        details={"gbv_type": "sexual_assault"},
        team_note="shared?",
    )
    for category in ("medical", "mental_health", "social", "legal_protection"):
        consent(
            survivor,
            category,
            actor=world.referent
            if category == "medical"
            else {
                "mental_health": world.psychologist,
                "social": world.social_worker,
                "legal_protection": world.lawyer,
            }[category],
        )
    seen, _rec = levels(world.social_worker, survivor)
    assert "sv_incident" not in seen


def test_other_project_clinician_sees_nothing(world, amanuel):
    seen, _rec = levels(world.dunkerque_doctor, amanuel)
    assert seen == {}


def test_break_glass_opens_the_discipline_for_a_limited_time(world, amanuel):
    seen, _ = levels(world.dunkerque_doctor, amanuel)
    assert not seen.get("medical")
    access_services.break_glass_open(
        actor=world.dunkerque_doctor,
        person=amanuel,
        reason="Unconscious at the Dunkerque camp, needs history",
    )
    seen, rec = levels(world.dunkerque_doctor, amanuel)
    assert seen["medical"] == [FULL]
    assert "mental_health" not in seen
    assert rec.break_glass is not None


def test_break_glass_needs_a_reason_and_a_clinical_role(world, amanuel):
    with pytest.raises(ValidationError):
        access_services.break_glass_open(
            actor=world.dunkerque_doctor, person=amanuel, reason="just"
        )
    with pytest.raises(PermissionDenied):
        access_services.break_glass_open(
            actor=world.reception, person=amanuel, reason="I would like to read it please"
        )


def test_consent_by_a_role_not_allowed_to_is_refused(world, make_person):
    person = make_person()
    with pytest.raises(PermissionDenied):
        access_services.consent_record(
            actor=world.social_worker,
            person=person,
            kind="team_sharing",
            category="medical",
            status="given",
            method="oral",
        )
    with pytest.raises(PermissionDenied):
        access_services.consent_record(
            actor=world.meal, person=person, kind="photos", status="given", method="oral"
        )
    with pytest.raises(ValidationError) as error:
        access_services.consent_record(
            actor=world.doctor,
            person=person,
            kind="team_sharing",
            category="sv_incident",
            status="given",
            method="oral",
        )
    assert "category" in error.value.message_dict
    assert not Consent.objects.exists()
