"""Subject access by role, retention at its date edges, erasure and legal
hold, pseudonymised exports, the register."""

import json
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from parcours.audit.models import AccessLog, AuditEvent
from parcours.care.models import Encounter
from parcours.gdpr import services
from parcours.gdpr.models import Anonymisation, ErasureRequest, SubjectAccessRequest
from parcours.gdpr.pseudonyms import pseudonym
from parcours.people.models import Person

pytestmark = pytest.mark.django_db


def record_request(client, person, language="en"):
    return client.post(
        f"/gdpr/person/{person.pk}/access/",
        {
            "received_on": timezone.localdate().isoformat(),
            "channel": "in_person",
            "identity_checked": "on",
            "identity_check": "Titre de séjour vu",
            "language": language,
        },
    )


def export_json(client, person) -> dict:
    response = client.get(f"/gdpr/person/{person.pk}/access/export/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_request_is_recorded_before_any_export(world, client, followed):
    client.force_login(world.coordinator)
    response = client.get(f"/gdpr/person/{followed.pk}/access/export/?format=json")
    assert response.status_code == 302 and response["Location"].endswith("/access/")
    refused = client.post(
        f"/gdpr/person/{followed.pk}/access/",
        {
            "received_on": timezone.localdate().isoformat(),
            "channel": "letter",
            "identity_check": "",
            "language": "fr",
        },
    )
    assert refused.status_code == 200 and b"Check the requester" in refused.content
    assert not SubjectAccessRequest.objects.exists()
    assert record_request(client, followed).status_code == 302
    assert AuditEvent.objects.filter(event="gdpr.access_request").count() == 1


def test_coordinator_export_holds_what_a_coordinator_may_export_and_nothing_hidden(
    world, client, followed
):
    client.force_login(world.coordinator)
    record_request(client, followed)
    data = export_json(client, followed)
    sections = {s["key"]: s for s in data["sections"]}
    assert set(sections) == {
        "identity",
        "contact",
        "encounters",
        "referrals",
        "consents",
        "access_log",
        "history",
    }
    assert sections["identity"]["fields"]["Given name"] == "Amanuel"
    assert sections["contact"]["fields"]["Phone"] == "+33 6 12 34 56 78"
    content = json.dumps(sections["encounters"], ensure_ascii=False)
    # Activity in full, the shared social team note; never a confidential note,
    # never the medical encounter (its team note is not shared).
    assert "Rencontré aux dunes" in content
    assert "Demande de domiciliation" in content
    assert "Violence conjugale" not in content
    assert "Toux chronique" not in content and "Vu au centre" not in content
    assert "Medical" not in [row[1] for row in sections["encounters"]["rows"]]
    assert [row[1] for row in sections["consents"]["rows"]] == [
        "Sharing with the multidisciplinary team"
    ]
    assert any(row[1] == "Registered" for row in sections["history"]["rows"])


def test_referent_export_holds_the_medical_record(world, client, followed):
    client.force_login(world.referent)
    record_request(client, followed)
    content = json.dumps(export_json(client, followed), ensure_ascii=False)
    assert "Toux chronique, suspicion TB" in content
    assert "Violence conjugale" not in content


def test_referrals_are_exported_as_far_as_the_requester_sees_them(world, client, followed):
    from parcours.network import services as network

    for actor, to, reason in (
        (world.doctor, "mental_health", "Troubles du sommeil ZX-MEDICAL-REFERRAL"),
        (world.social_worker, "legal_protection", "Recours DALO ZX-SOCIAL-REFERRAL"),
    ):
        network.referral_send(
            actor=actor,
            person=followed,
            data={"kind": "internal", "to_discipline": to, "reason": reason},
            confirm_warnings=True,
        )
    client.force_login(world.referent)
    record_request(client, followed)
    rows = next(s for s in export_json(client, followed)["sections"] if s["key"] == "referrals")
    assert rows["columns"][:4] == ["Sent on", "Referring discipline", "Kind", "Referred to"]
    reasons = [row[4] for row in rows["rows"]]
    assert "Troubles du sommeil ZX-MEDICAL-REFERRAL" in reasons
    # The coordinator does not see the medical record: nor its referrals.
    client.force_login(world.coordinator)
    record_request(client, followed)
    content = json.dumps(export_json(client, followed), ensure_ascii=False)
    assert "ZX-MEDICAL-REFERRAL" not in content


def test_the_export_is_itself_logged_and_audited(world, client, followed):
    client.force_login(world.coordinator)
    record_request(client, followed)
    client.get(f"/gdpr/person/{followed.pk}/access/export/?format=pdf")
    log = AccessLog.objects.filter(person=followed, what="subject_access").get()
    assert (log.user, log.channel) == (world.coordinator, "export")
    assert AuditEvent.objects.filter(event="gdpr.access_export").count() == 1
    # The next export shows that read in its access-log section.
    data = export_json(client, followed)
    who = [row[2] for row in next(s for s in data["sections"] if s["key"] == "access_log")["rows"]]
    assert "Subject access export" in who


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pdf_in_french_or_english(world, client, followed, language):
    client.force_login(world.coordinator)
    record_request(client, followed, language=language)
    response = client.get(f"/gdpr/person/{followed.pk}/access/export/?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_others_may_not_export(world, client, followed):
    for user in (world.doctor, world.meal, world.admin, world.dunkerque_doctor):
        client.force_login(user)
        assert client.get(f"/gdpr/person/{followed.pk}/access/export/").status_code == 404
        assert client.post(f"/gdpr/person/{followed.pk}/access/", {}).status_code == 404


# --- retention -----------------------------------------------------------------------


def set_contact(person, when: datetime):
    Encounter.objects.filter(person=person).update(occurred_at=when)
    Person.objects.filter(pk=person.pk).update(
        created_at=when - timedelta(days=1), updated_at=when - timedelta(days=1)
    )


def test_retention_at_the_date_edges(world, make_person):
    from parcours.care import services as care_services

    person = make_person(given_name="Yonas", family_name="Tekle")
    care_services.encounter_record(
        actor=world.social_worker,
        discipline="social",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(hours=2), "confidential_note": "Note"},
    )
    contact = timezone.make_aware(datetime(2023, 3, 15, 10, 0))
    set_contact(person, contact)
    deadline = date(2023, 3, 15) + timedelta(days=730)
    run = services.retention_run(today=deadline - timedelta(days=1))
    assert run.report["anonymised"] == []
    assert Person.objects.get(pk=person.pk).given_name == "Yonas"
    run = services.retention_run(today=deadline, dry_run=True)
    assert len(run.report["anonymised"]) == 1
    assert Person.objects.get(pk=person.pk).given_name == "Yonas"
    services.retention_run(today=deadline)
    person.refresh_from_db()
    assert person.given_name.startswith("ANON-") and person.family_name == ""
    assert Encounter.objects.get(person=person).confidential_note == ""
    # The day after: already anonymised, nothing more to do.
    assert services.retention_run(today=deadline + timedelta(days=1)).report["anonymised"] == []


def test_medical_data_follow_the_medical_rule(world, followed):
    set_contact(followed, timezone.make_aware(datetime(2020, 1, 10, 10, 0)))
    assert services.retention_run(today=date(2024, 1, 1)).report["anonymised"] == []
    Encounter.objects.filter(person=followed, discipline="medical").delete()
    assert len(services.retention_run(today=date(2024, 1, 1)).report["anonymised"]) == 1


def test_anonymisation_keeps_aggregates_and_the_pseudonym(world, followed):
    from django.db.models import Count

    def aggregates():
        return (
            list(
                Person.objects.values("sex", "nationality").annotate(n=Count("id")).order_by("sex")
            ),
            list(
                Encounter.objects.values("discipline", "project", "is_first_visit")
                .annotate(n=Count("id"))
                .order_by("discipline")
            ),
        )

    before = aggregates()
    services.anonymise(followed, cause=Anonymisation.Cause.RETENTION)
    assert aggregates() == before
    followed.refresh_from_db()
    assert followed.given_name == "ANON-" + pseudonym(followed.pk, length=10)
    assert followed.phone == "" and not followed.aliases.exists()
    assert set(Encounter.objects.filter(person=followed).values_list("team_note", flat=True)) == {
        ""
    }


def test_retention_skips_a_legal_hold_and_purges_old_logs(world, followed):
    services.legal_hold_set(
        actor=world.coordinator, person=followed, reason="Recours CNDA en cours"
    )
    set_contact(followed, timezone.make_aware(datetime(2001, 1, 10, 10, 0)))
    AccessLog.objects.create(
        user=world.coordinator,
        person=followed,
        what="record",
        channel="web",
        at=timezone.make_aware(datetime(2020, 1, 1)),
    )
    report = services.retention_run(today=date(2026, 6, 1)).report
    assert report["anonymised"] == [] and len(report["held"]) == 1
    assert report["access_log_deleted"] == 1
    assert not AccessLog.objects.filter(person=followed).exists()


def test_retention_command(world, capsys):
    from django.core.management import call_command

    call_command("retention", "--dry-run", "--today", "2026-01-01")
    assert "Dry run: 0 anonymised" in capsys.readouterr().out


def test_retention_rules_are_set_in_the_app_by_admins(world, client):
    client.force_login(world.admin)
    client.post("/gdpr/retention/", {"social": "1000"})
    assert services.rule_days()["social"] == 1000
    client.post("/gdpr/retention/", {"social": "5"})
    assert services.rule_days()["social"] == 1000
    client.force_login(world.coordinator)
    assert client.post("/gdpr/retention/", {"social": "60"}).status_code == 404


# --- erasure and legal hold ------------------------------------------------------------


def erase(client, person, basis="17.1.b"):
    return client.post(
        f"/gdpr/person/{person.pk}/erasure/",
        {
            "received_on": timezone.localdate().isoformat(),
            "channel": "in_person",
            "legal_basis": basis,
            "confirm": "on",
        },
        follow=True,
    )


def test_erasure_is_refused_under_a_legal_hold_with_the_reason(world, client, followed):
    client.force_login(world.coordinator)
    client.post(f"/gdpr/person/{followed.pk}/legal-hold/", {"reason": "Procédure pénale en cours"})
    response = erase(client, followed)
    assert "Erasure refused: Legal hold: Procédure pénale en cours" in response.content.decode()
    followed.refresh_from_db()
    assert followed.given_name == "Amanuel"
    request = ErasureRequest.objects.get()
    assert (request.status, request.legal_basis) == ("refused", "17.1.b")


def test_erasure_anonymises_once_the_hold_is_lifted(world, client, followed):
    client.force_login(world.coordinator)
    client.post(f"/gdpr/person/{followed.pk}/legal-hold/", {"reason": "Procédure"})
    client.post(f"/gdpr/person/{followed.pk}/legal-hold/", {"lift": "1"})
    erase(client, followed)
    followed.refresh_from_db()
    assert followed.given_name.startswith("ANON-")
    assert set(
        Encounter.objects.filter(person=followed).values_list("confidential_note", flat=True)
    ) == {""}
    assert Encounter.objects.filter(person=followed).count() == 3
    assert AuditEvent.objects.filter(event="gdpr.erasure").count() == 1


def test_erasure_needs_a_legal_basis(world, client, followed):
    client.force_login(world.coordinator)
    response = erase(client, followed, basis="")
    assert response.status_code == 200
    assert not ErasureRequest.objects.exists()


def test_only_coordinators_erase(world, client, followed):
    for user in (world.referent, world.doctor, world.meal, world.admin):
        client.force_login(user)
        assert erase(client, followed).status_code == 404
    assert Person.objects.get(pk=followed.pk).given_name == "Amanuel"


# --- pseudonymised exports ----------------------------------------------------------------


def test_pseudonymised_export_for_meal(world, client, followed, pseudonym_key):
    followed.birth_date = date(1990, 6, 1)
    followed.save()
    client.force_login(world.meal)
    response = client.get(f"/gdpr/pseudonymised/?project={world.calais.pk}&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    persons = list(book["persons"].values)
    encounters = list(book["encounters"].values)
    assert persons[0][:3] == ("pseudonym", "sex", "age_group")
    code = persons[1][0]
    assert code == pseudonym(followed.pk) and persons[1][2] == "25-59"
    flat = json.dumps([persons, encounters], default=str)
    assert "Amanuel" not in flat and "Tesfay" not in flat and "1990-06-01" not in flat
    assert "Demande de domiciliation" not in flat
    assert {row[2] for row in encounters[1:]} == {timezone.localdate().strftime("%Y-%m")}
    # Stable across exports; another key, other pseudonyms.
    assert pseudonym(followed.pk) == code
    pseudonym_key.write_text("z" * 64)
    assert pseudonym(followed.pk) != code
    assert AuditEvent.objects.filter(event="gdpr.pseudonymised_export").count() == 1


def test_pseudonymised_csv(world, client, followed):
    client.force_login(world.meal)
    response = client.get("/gdpr/pseudonymised/?format=csv_encounters")
    assert response.status_code == 200
    assert (
        response.content.decode().splitlines()[0]
        == "pseudonym;discipline;month;first_visit;site_id;interpreter"
    )


def test_only_meal_exports_pseudonymised_data(world, client, followed):
    for user in (world.coordinator, world.advocacy, world.doctor):
        client.force_login(user)
        assert client.get("/gdpr/pseudonymised/?format=xlsx").status_code == 404


def test_register_of_processing(world, client):
    client.force_login(world.coordinator)
    response = client.get("/gdpr/register.pdf?lang=fr")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(world.doctor)
    assert client.get("/gdpr/register.pdf").status_code == 404
