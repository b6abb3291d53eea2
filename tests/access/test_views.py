"""The consent registry, care-team and break-glass pages, persona by persona."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access import services
from parcours.access.models import BreakGlass, CareAssignment, Consent
from parcours.access.records import current_consents, team_sharing_given
from parcours.audit.models import AccessLog, AuditEvent

REASON = "Unconscious at the Dunkerque camp, needs history"


@pytest.fixture
def person(make_person):
    return make_person(languages=["ti"])


def registered_a_week_ago(person):
    """Consents are never dated before the person's first record."""
    person.created_at = timezone.now() - timedelta(days=7)
    type(person).objects.filter(pk=person.pk).update(created_at=person.created_at)


def consents_url(person):
    return f"/access/persons/{person.pk}/consents/"


def care_team_url(person):
    return f"/access/persons/{person.pk}/care-team/"


def consent_post(**data):
    data.setdefault("status", "given")
    data.setdefault("method", "oral_interpreter")
    data.setdefault("language", "Tigrinya (ti)")
    return data


# ---------------------------------------------------------------- consents


def test_consent_page_is_for_calais_identity_viewers_and_is_access_logged(world, person, login):
    for name in ("doctor", "social_worker", "reception", "outreach", "coordinator", "referent"):
        response = login(world.users[name]).get(consents_url(person))
        assert response.status_code == 200, name
        assert "the rest of the care team sees only the notes meant for the team" in (
            response.content.decode()
        )
    for name in ("admin", "meal", "advocacy", "dunkerque_doctor", "nobody"):
        assert login(world.users[name]).get(consents_url(person)).status_code == 404, name
    assert login(world.doctor).get("/access/persons/999999/consents/").status_code == 404
    logged = AccessLog.objects.filter(person=person, what="consents")
    assert logged.count() == 6 and not logged.filter(user=world.dunkerque_doctor).exists()


def test_form_offers_only_what_the_role_may_record(world, person, login):
    page = login(world.social_worker).get(consents_url(person)).content.decode()
    assert 'value="team_sharing:social"' in page
    assert 'value="team_sharing:medical"' not in page
    assert 'value="registration"' in page
    page = login(world.outreach).get(consents_url(person)).content.decode()
    assert "Record the decision" not in page  # outreach records no consent


def test_doctor_records_team_sharing_for_medical(world, person, login):
    response = login(world.doctor).post(
        consents_url(person),
        consent_post(subject="team_sharing:medical", note="Explained with the interpreter"),
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert (consent.kind, consent.category, consent.status, consent.language) == (
        "team_sharing",
        "medical",
        "given",
        "ti",
    )
    assert consent.recorded_by == world.doctor
    assert AuditEvent.objects.filter(event="consent.record", actor=world.doctor).exists()
    page = login(world.doctor).get(consents_url(person)).content.decode()
    assert "Explained with the interpreter" in page and "Tigrinya" in page


def test_social_worker_cannot_record_team_sharing_for_medical(world, person, login):
    response = login(world.social_worker).post(
        consents_url(person), consent_post(subject="team_sharing:medical")
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role may not record this consent." in page
    assert "Nothing was recorded" in page
    response = login(world.outreach).post(consents_url(person), consent_post(subject="photos"))
    assert response.status_code == 403
    assert "Your role may not record this consent." in response.content.decode()
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(event="consent.record").exists()


def test_reception_records_registration_consent(world, person, login):
    response = login(world.reception).post(
        consents_url(person), consent_post(subject="registration", method="written", language="")
    )
    assert response.status_code == 302
    assert Consent.objects.get(person=person).kind == "registration"


def test_bad_input_is_shown_back_and_nothing_written(world, person, login):
    client = login(world.doctor)
    for data in (
        consent_post(subject="team_sharing:medical", language="Xyzzish"),
        consent_post(subject="team_sharing:nonsense"),
        consent_post(subject="team_sharing:medical", status="maybe"),
        consent_post(subject="team_sharing:medical", decided_at="2999-01-01T10:00"),
        consent_post(subject="team_sharing:medical", decided_at="yesterday"),
        {},
    ):
        assert client.post(consents_url(person), data).status_code == 200, data
    page = client.post(
        consents_url(person), consent_post(subject="team_sharing:medical", language="Xyzzish")
    ).content.decode()
    assert "Unknown language" in page
    assert not Consent.objects.exists()


def test_withdrawal_is_a_new_row_and_in_force_at_once(world, person, login):
    registered_a_week_ago(person)
    services.consent_record(
        actor=world.doctor,
        person=person,
        kind="team_sharing",
        category="medical",
        status="given",
        method="oral_interpreter",
        language="ti",
        decided_at=timezone.now() - timedelta(days=2),
    )
    client = login(world.doctor)
    page = client.get(consents_url(person)).content.decode()
    assert "Confirm the withdrawal" in page
    # What the withdrawal button posts.
    response = client.post(
        consents_url(person),
        {
            "subject": "team_sharing:medical",
            "status": "withdrawn",
            "method": "oral",
            "language": "ti",
        },
    )
    assert response.status_code == 302
    assert Consent.objects.filter(person=person).count() == 2
    assert team_sharing_given(current_consents(person)) == set()
    page = client.get(consents_url(person)).content.decode()
    in_force = page.split('id="in-force"')[1].split('id="history"')[0]
    assert "Withdrawn" in in_force and "Confirm the withdrawal" not in in_force


# ---------------------------------------------------------------- care team


def test_care_team_page_for_assigners_and_assigned_members_only(world, person, login):
    assert login(world.referent).get(care_team_url(person)).status_code == 200
    assert login(world.coordinator).get(care_team_url(person)).status_code == 200
    for name in ("doctor", "social_worker", "reception", "dunkerque_doctor", "admin"):
        assert login(world.users[name]).get(care_team_url(person)).status_code == 404, name
    services.care_assign(
        actor=world.referent, person=person, user=world.psychologist, project=world.calais
    )
    page = login(world.psychologist).get(care_team_url(person)).content.decode()
    assert "psychologist" in page and "Assign a member" not in page
    assert login(world.psychologist).post(care_team_url(person), {"end": 1}).status_code == 404


def test_referent_assigns_and_unassigns(world, person, login):
    from parcours.accounts.models import Membership

    membership = Membership.objects.get(user=world.doctor, project=world.calais)
    page = login(world.referent).get(care_team_url(person)).content.decode()
    assert f'value="{membership.pk}"' in page
    social = Membership.objects.get(user=world.social_worker)
    assert f'value="{social.pk}"' not in page  # social workers are not assigned
    client = login(world.referent)
    assert client.post(care_team_url(person), {"member": membership.pk}).status_code == 302
    assignment = CareAssignment.objects.get(person=person, ended_at__isnull=True)
    assert assignment.user == world.doctor
    assert login(world.doctor).get(care_team_url(person)).status_code == 200
    client = login(world.referent)
    assert client.post(care_team_url(person), {"member": social.pk}).status_code == 200
    assert client.post(care_team_url(person), {"end": "x"}).status_code == 404
    assert client.post(care_team_url(person), {"end": assignment.pk}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    events = AuditEvent.objects.filter(actor=world.referent, event__startswith="care.")
    assert sorted(events.values_list("event", flat=True)) == ["care.assign", "care.unassign"]
    assert login(world.doctor).get(care_team_url(person)).status_code == 404


# ---------------------------------------------------------------- break-glass


def test_break_glass_opens_a_calais_record_for_the_dunkerque_doctor(world, person, login):
    client = login(world.dunkerque_doctor)
    assert client.get(f"/people/{person.pk}/").status_code == 404
    code = person.enrolments.get().code
    assert client.get("/access/break-glass/").status_code == 200
    response = client.post("/access/break-glass/", {"code": code.lower(), "reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert client.get(f"/people/{person.pk}/").status_code == 200
    log = AccessLog.objects.get(person=person, user=world.dunkerque_doctor)
    assert log.break_glass
    page = client.get(f"{consents_url(person)}").content.decode()
    assert "You opened this record by break-glass" in page
    assert AccessLog.objects.get(person=person, what="consents").break_glass
    page = client.get("/access/break-glass/").content.decode()
    assert "Amanuel" in page  # listed among my open openings
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert "Amanuel" not in client.get("/access/break-glass/").content.decode()


def test_break_glass_refuses_short_reasons_and_unknown_codes(world, person, login):
    client = login(world.dunkerque_doctor)
    code = person.enrolments.get().code
    page = client.post("/access/break-glass/", {"code": code, "reason": "urgent"}).content
    assert b"at least 15 characters" in page
    page = client.post("/access/break-glass/", {"code": "CAL-999999", "reason": REASON}).content
    assert b"No record with this code." in page
    page = client.post("/access/break-glass/", {"person": "abc", "reason": REASON}).content
    assert b"Give the code of the person." in page
    assert not BreakGlass.objects.exists()


def test_break_glass_prefilled_with_a_person_id(world, person, login):
    client = login(world.dunkerque_doctor)
    page = client.get(f"/access/break-glass/?person={person.pk}").content.decode()
    assert f'value="{person.pk}"' in page and "Amanuel" not in page
    assert client.get("/access/break-glass/?person=nonsense").status_code == 200
    response = client.post("/access/break-glass/", {"person": person.pk, "reason": REASON})
    assert response.status_code == 302
    assert BreakGlass.objects.get().person == person


def test_break_glass_page_is_only_for_clinicians(world, login):
    for name in ("reception", "admin", "coordinator", "outreach", "meal", "nobody"):
        assert login(world.users[name]).get("/access/break-glass/").status_code == 404, name
        response = login(world.users[name]).post("/access/break-glass/", {"reason": REASON})
        assert response.status_code == 404, name


def test_review_page_lists_openings_for_referent_and_coordinator(world, person, login):
    opening = services.break_glass_open(actor=world.dunkerque_doctor, person=person, reason=REASON)
    for name in ("referent", "coordinator"):
        response = login(world.users[name]).get("/access/break-glass/review/")
        page = response.content.decode()
        assert REASON in page and "dunkerque_doctor" in page, name
        assert "(1 to review)" in page
    for name in ("doctor", "dunkerque_doctor", "reception", "admin"):
        assert login(world.users[name]).get("/access/break-glass/review/").status_code == 404
        url = f"/access/break-glass/{opening.pk}/review/"
        assert login(world.users[name]).post(url, {}).status_code == 404
    assert login(world.referent).get("/access/break-glass/review/?page=x").status_code == 200


def test_marking_an_opening_reviewed_is_recorded(world, person, login):
    opening = services.break_glass_open(actor=world.dunkerque_doctor, person=person, reason=REASON)
    client = login(world.referent)
    url = f"/access/break-glass/{opening.pk}/review/"
    assert client.post(url, {"note": "Justified: seen at the camp"}).status_code == 302
    opening.refresh_from_db()
    assert opening.reviewed_by == world.referent
    assert opening.review_note == "Justified: seen at the camp"
    assert AuditEvent.objects.filter(event="break_glass.review", actor=world.referent).exists()
    page = login(world.coordinator).get("/access/break-glass/review/").content.decode()
    assert "Justified: seen at the camp" in page and "(0 to review)" in page
    assert "Mark as reviewed" not in page
    client = login(world.coordinator)
    response = client.post(url, {"note": "again"}, follow=True)
    assert "already reviewed" in response.content.decode()
    opening.refresh_from_db()
    assert opening.reviewed_by == world.referent


def test_nobody_reviews_their_own_opening(world, make_person, login):
    person = make_person(project=world.dunkerque, actor=world.referent)
    opening = services.break_glass_open(actor=world.referent, person=person, reason=REASON)
    client = login(world.referent)
    assert "Your own opening" in client.get("/access/break-glass/review/").content.decode()
    client.post(f"/access/break-glass/{opening.pk}/review/", {})
    opening.refresh_from_db()
    assert opening.reviewed_at is None
