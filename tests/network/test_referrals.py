"""Referrals: consent naming the organisation, categories chosen (and only
those) in the letter and the API, the lifecycle, warnings kept, versions,
and overdue referrals shown to their owner only."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from parcours.access.records import record_scope
from parcours.audit.models import AccessLog, AuditEvent
from parcours.network import services
from parcours.network.letter import referral_letter
from parcours.network.models import Referral
from tests.network.routes import ORGANISATION, give_referral_consent, make_service


def send(world, person, actor=None, **data):
    data.setdefault("kind", "external")
    data.setdefault("reason", "Dental pain for two weeks")
    return services.referral_send(
        actor=actor or world.doctor, person=person, data=data, confirm_warnings=True
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_external_referral_without_consent_is_refused_and_nothing_saved(world, person, service):
    with pytest.raises(ValidationError) as refused:
        send(world, person, service=service.pk)
    assert "consent" in refused.value.message_dict
    assert ORGANISATION in refused.value.message_dict["consent"][0]
    assert not Referral.objects.exists()


def test_consent_for_another_organisation_does_not_count(world, person, service):
    give_referral_consent(world, person, organisation="Secours populaire Calais")
    with pytest.raises(ValidationError, match="consent"):
        send(world, person, service=service.pk)


def test_consent_naming_the_service_lets_the_referral_go(world, person, service, consent):
    referral = send(world, person, service=service.pk)
    assert referral.consent == consent
    assert referral.organisation == ORGANISATION
    assert referral.status == "sent"
    event = AuditEvent.objects.get(event="referral.send")
    assert event.extra["consent"] == consent.pk


def test_free_text_organisation_needs_its_own_consent(world, person):
    with pytest.raises(ValidationError, match="consent"):
        send(world, person, organisation="Cimade Lille")
    give_referral_consent(world, person, organisation="  cimade LILLE ")
    assert send(world, person, organisation="Cimade Lille").service is None


def test_withdrawal_after_sending_makes_the_letter_impossible(world, person, service, consent):
    referral = send(world, person, service=service.pk)
    scope = record_scope(world.doctor, person)
    assert referral_letter(referral, scope).startswith(b"%PDF")
    give_referral_consent(world, person, status="withdrawn")
    with translation.override("en"), pytest.raises(PermissionDenied, match="no longer in force"):
        referral_letter(referral, scope)


def test_withdrawn_letter_page_says_why(world, person, service, consent, client):
    referral = send(world, person, service=service.pk)
    give_referral_consent(world, person, status="withdrawn")
    client.force_login(world.doctor)
    response = client.get(reverse("network:referral_letter", args=[referral.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "no longer in force" in page.content.decode()
    assert not AuditEvent.objects.filter(event="referral.letter").exists()


def test_letter_holds_the_chosen_categories_only(
    world, person, service, consent, medical_note, client
):
    only_contact = send(world, person, service=service.pk, categories=["contact"])
    with_medical = send(world, person, service=service.pk, categories=["medical"])
    scope = record_scope(world.doctor, person)
    text = pdf_text(referral_letter(only_contact, scope))
    assert "TESFAY" in text and "+33 6 12 34 56 78" in text
    assert "ZX-MEDICAL-SECRET" not in text and "Scabies" not in text
    text = pdf_text(referral_letter(with_medical, scope))
    assert "ZX-MEDICAL-SECRET" in text
    assert "+33 6 12 34 56 78" not in text
    # French by default, English on demand.
    client.force_login(world.doctor)
    url = reverse("network:referral_letter", args=[with_medical.pk])
    assert "Motif de l'orientation" in pdf_text(client.get(url).content)
    assert "Reason for the referral" in pdf_text(client.get(url + "?lang=en").content)
    assert AuditEvent.objects.filter(event="referral.letter").count() == 2
    assert AccessLog.objects.filter(person=person, what="referral").exists()


def test_nothing_beyond_identity_by_default(world, person, service, consent, medical_note):
    referral = send(world, person, service=service.pk)
    assert referral.shared_categories == []
    text = pdf_text(referral_letter(referral, record_scope(world.doctor, person)))
    assert "TESFAY" in text
    assert "ZX-MEDICAL-SECRET" not in text and "+33 6" not in text


def test_a_referrer_shares_only_what_they_see(world, person, service, consent, medical_note):
    with pytest.raises(ValidationError) as refused:
        send(world, person, actor=world.social_worker, service=service.pk, categories=["medical"])
    assert "categories" in refused.value.message_dict
    assert not Referral.objects.exists()


def test_closed_service_warns_and_the_reason_is_kept(world, person, consent):
    service = make_service(opening_hours={"mon": [["09:00", "12:00"]]})
    sunday = timezone.localtime() + timedelta(days=(6 - timezone.localdate().weekday()) or 7)
    data = {"kind": "external", "service": service.pk, "reason": "Care", "planned_for": sunday}
    with pytest.raises(services.NeedsConfirmation) as pending:
        services.referral_send(actor=world.doctor, person=person, data=data)
    assert "closed" in pending.value.warnings[0]
    assert not Referral.objects.exists()
    referral = services.referral_send(
        actor=world.doctor, person=person, data=data, confirm_warnings=True
    )
    assert "closed" in referral.warnings[0]
    assert "closed" in AuditEvent.objects.get(event="referral.send").extra["warnings"][0]


def test_ineligible_person_warns(world, make_person):
    man = make_person(given_name="Yonas", sex="male")
    give_referral_consent(world, man, organisation="Accueil de femmes Calais")
    women_only = make_service(name="Accueil de femmes Calais", type="women", eligibility=["women"])
    referral = send(world, man, service=women_only.pk)
    assert any("women" in w for w in referral.warnings)
    woman = make_person(given_name="Selam", sex="female")
    give_referral_consent(world, woman, organisation="Accueil de femmes Calais")
    assert send(world, woman, service=women_only.pk).warnings == []


def test_internal_referral_to_a_colleague_and_its_visibility(world, person, make_person):
    referral = send(
        world, person, kind="internal", to_user=world.social_worker.pk, reason="Housing needed"
    )
    assert referral.receiver == "social_worker"
    from parcours.network.referrals import person_referrals

    assert person_referrals(world.social_worker, person) == [referral]
    assert person_referrals(world.lawyer, person) == []
    assert person_referrals(world.reception, person) == []
    with pytest.raises(ValidationError, match="nothing beyond identity"):
        send(world, person, kind="internal", to_discipline="social", categories=["medical"])


def test_internal_referral_to_someone_outside_the_team_is_refused(world, person):
    with pytest.raises(ValidationError) as refused:
        send(world, person, kind="internal", to_user=world.dunkerque_doctor.pk)
    assert "to_user" in refused.value.message_dict


def test_roles_that_do_not_refer_are_refused(world, person, service, consent):
    for user in (world.reception, world.coordinator, world.outreach):
        with pytest.raises(PermissionDenied):
            send(world, person, actor=user, service=service.pk)


# --- lifecycle -------------------------------------------------------------------


@pytest.fixture
def referral(world, person, service, consent):
    return send(world, person, service=service.pk)


def update(world, referral, **kwargs):
    kwargs.setdefault("version", Referral.objects.get(pk=referral.pk).version)
    return services.referral_update(actor=world.doctor, referral_id=referral.pk, **kwargs)


def test_lifecycle_sent_accepted_done_with_dates(world, referral):
    today = timezone.localdate()
    update(world, referral, status="accepted")
    done = update(world, referral, status="done", on=today)
    assert (done.status, done.accepted_on, done.done_on) == ("done", today, today)
    with pytest.raises(ValidationError, match="cannot become"):
        update(world, referral, status="accepted")
    assert AuditEvent.objects.filter(event="referral.status").count() == 2


def test_done_before_accepted_needs_a_note(world, referral):
    with pytest.raises(ValidationError) as refused:
        update(world, referral, status="done")
    assert "note" in refused.value.message_dict
    assert Referral.objects.get(pk=referral.pk).status == "sent"
    done = update(world, referral, status="done", note="Seen the same day without appointment")
    assert done.status == "done" and done.accepted_on is None


def test_a_status_date_in_the_future_or_before_sending_is_refused(world, referral):
    with pytest.raises(ValidationError, match="future"):
        update(world, referral, status="accepted", on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="before"):
        update(world, referral, status="refused", on=referral.sent_on - timedelta(days=1))


def test_stale_version_is_refused(world, referral):
    update(world, referral, status="accepted")
    with pytest.raises(services.Stale):
        services.referral_update(
            actor=world.doctor, referral_id=referral.pk, version=1, status="lost"
        )


def test_status_page_shows_stale_message(world, referral, client):
    update(world, referral, status="accepted")
    client.force_login(world.doctor)
    url = reverse("network:referral_status", args=[referral.pk])
    response = client.post(url, {"version": 1, "status": "done"}, follow=True)
    assert "Someone else changed this referral" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_skip_on_the_page_without_note_says_why(world, referral, client):
    client.force_login(world.doctor)
    url = reverse("network:referral_status", args=[referral.pk])
    response = client.post(url, {"version": 1, "status": "done"}, follow=True)
    assert "say what happened in a note" in response.content.decode()


# --- overdue referrals on the home page --------------------------------------------


def test_overdue_referrals_reach_only_their_owner(world, person, service, consent, client):
    referral = send(world, person, service=service.pk)
    Referral.objects.filter(pk=referral.pk).update(
        follow_up_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(world.doctor)
    home = client.get("/").content.decode()
    assert "My overdue referrals" in home and "TESFAY" in home
    for other in (world.referent, world.social_worker, world.coordinator):
        client.force_login(other)
        assert "My overdue referrals" not in client.get("/").content.decode()
    update(world, referral, status="done", note="Went alone")
    client.force_login(world.doctor)
    assert "My overdue referrals" not in client.get("/").content.decode()


# --- pages ---------------------------------------------------------------------------


def test_referral_form_sends_after_confirming_a_warning(world, person, consent, client):
    service = make_service(eligibility=["minors"], type="ase")
    client.force_login(world.doctor)
    url = reverse("network:referral_new", args=[person.pk])
    form = {"kind": "external", "service": service.pk, "reason": "Age assessment"}
    page = client.post(url, form)
    assert page.status_code == 200 and "minors" in page.content.decode()
    assert not Referral.objects.exists()
    response = client.post(url, {**form, "confirm": "1"})
    assert response.status_code == 302
    assert Referral.objects.get().warnings


def test_referral_form_without_consent_names_it(world, person, service, client):
    client.force_login(world.doctor)
    url = reverse("network:referral_new", args=[person.pk])
    page = client.post(url, {"kind": "external", "service": service.pk, "reason": "Dental"})
    assert "Missing consent" in page.content.decode()
    assert not Referral.objects.exists()


def test_person_page_links_to_referrals(world, person, client):
    client.force_login(world.doctor)
    page = client.get(reverse("dossier:person", args=[person.pk])).content.decode()
    assert reverse("network:person_referrals", args=[person.pk]) in page


def test_form_lists_the_organisations_consented_to(world, person, consent, client):
    give_referral_consent(world, person, organisation="Cimade Calais")
    give_referral_consent(world, person, organisation="Cimade Calais", status="withdrawn")
    client.force_login(world.doctor)
    page = client.get(reverse("network:referral_new", args=[person.pk])).content.decode()
    assert f"Consent given for: {ORGANISATION}." in page
