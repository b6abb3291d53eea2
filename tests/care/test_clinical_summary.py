"""The clinical summary at the top of the medical part of a person's record:
who sees and edits it (pages and API), bad input, stale edits, the audit
trail, and how the medical encounters keep it current."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from parcours.audit.events import Event
from parcours.audit.models import AccessLog, AuditEvent
from parcours.care import models as m
from parcours.care import services as care_services
from parcours.care import summary_services as services
from parcours.care.summary import clinical_summary

NOT_MEDICAL = ["reception", "outreach", "social_worker", "coordinator", "meal", "psychologist"]
TODAY = timezone.localdate


def summary_url(person) -> str:
    return reverse("care:summary", args=[person.pk])


def item_url(person, **query) -> str:
    url = reverse("care:summary_item", args=[person.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def api_url(person, tail: str = "") -> str:
    return f"/api/v1/persons/{person.pk}/clinical-summary{tail}"


def add(world, person, kind, **data):
    return services.summary_item_create(actor=world.doctor, person=person, kind=kind, data=data)


@pytest.fixture
def person(make_person):
    return make_person(given_name="Selam", family_name="Tesfaye")


# --- services: validation, versions, audit ----------------------------------------


def test_an_allergy_without_a_substance_is_a_field_error_and_nothing_is_saved(world, person):
    with pytest.raises(ValidationError) as error:
        add(world, person, "allergy", substance="  ", reaction="rash")
    assert "substance" in error.value.message_dict
    assert not m.Allergy.objects.exists()
    assert not AuditEvent.objects.filter(event=Event.CLINICAL_SUMMARY_ADD).exists()


def test_a_treatment_ending_before_it_starts_is_a_field_error(world, person):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        add(
            world,
            person,
            "treatment",
            name="Amoxicillin",
            since=date(2026, 5, 10),
            until=date(2026, 5, 1),
        )
    assert error.value.message_dict["until"] == ["The treatment cannot end before it starts."]
    assert not m.Treatment.objects.exists()


def test_other_bad_input_is_named_field_by_field(world, person):
    with pytest.raises(ValidationError) as error:
        add(world, person, "condition", icd10="XYZ99")
    assert "icd10" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(world, person, "vaccination", vaccine="BCG", given_on=TODAY() + timedelta(days=3))
    assert "given_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(world, person, "allergy", substance="Latex", dose="10 mg")
    assert "dose" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.pregnancy_set(
            actor=world.doctor,
            person=person,
            version=None,
            data={"status": "not_pregnant", "due_date": TODAY() + timedelta(days=30)},
        )
    assert "due_date" in error.value.message_dict


def test_an_edit_with_a_stale_version_is_refused_and_changes_nothing(world, person):
    allergy = add(world, person, "allergy", substance="Penicillin")
    services.summary_item_update(
        actor=world.referent,
        person=person,
        kind="allergy",
        item_id=allergy.pk,
        version=1,
        data={"severity": "severe"},
    )
    with pytest.raises(services.StaleItem):
        services.summary_item_update(
            actor=world.doctor,
            person=person,
            kind="allergy",
            item_id=allergy.pk,
            version=1,
            data={"severity": "mild"},
        )
    allergy.refresh_from_db()
    assert (allergy.severity, allergy.version) == ("severe", 2)


def test_every_change_is_audited_without_its_content(world, person):
    treatment = add(world, person, "treatment", name="Metformin", dose="500 mg", since=TODAY())
    services.summary_item_end(
        actor=world.doctor, person=person, kind="treatment", item_id=treatment.pk, version=1
    )
    events = list(
        AuditEvent.objects.filter(subject_type="care.treatment")
        .order_by("id")
        .values_list("event", "extra")
    )
    assert [e for e, _x in events] == [Event.CLINICAL_SUMMARY_ADD, Event.CLINICAL_SUMMARY_END]
    assert events[0][1]["fields"] == ["dose", "name", "since"]
    assert "Metformin" not in str(events)


@pytest.mark.parametrize("persona", [*NOT_MEDICAL, "dunkerque_doctor"])
def test_only_medical_roles_of_the_person_write_it(world, person, persona):
    with pytest.raises(PermissionDenied):
        services.summary_item_create(
            actor=world.users[persona], person=person, kind="allergy", data={"substance": "Latex"}
        )
    assert not m.Allergy.objects.exists()


# --- kept current from the encounters ------------------------------------------------


def test_a_diagnosis_marked_chronic_joins_the_conditions_once(world, person, record):
    record(
        world.doctor,
        person,
        "medical",
        details={"diagnoses": ["E11", "J06.9"], "chronic_diagnoses": ["E11"]},
    )
    record(
        world.doctor,
        person,
        "medical",
        details={"diagnoses": ["E11"], "chronic_diagnoses": ["E11"]},
    )
    conditions = list(m.ChronicCondition.objects.values_list("icd10", "resolved_on"))
    assert conditions == [("E11", None)]
    assert (
        AuditEvent.objects.filter(
            event=Event.CLINICAL_SUMMARY_FROM_ENCOUNTER, subject_type="care.chroniccondition"
        ).count()
        == 1
    )


def test_a_chronic_mark_must_be_one_of_the_diagnoses(world, person, record):
    with pytest.raises(ValidationError) as error:
        record(
            world.doctor,
            person,
            "medical",
            details={"diagnoses": ["J06.9"], "chronic_diagnoses": ["E11"]},
        )
    assert "chronic_diagnoses" in error.value.message_dict
    assert not m.ChronicCondition.objects.exists()


def test_a_treatment_with_a_duration_is_current_until_it_ends(world, person, record):
    encounter = record(
        world.doctor,
        person,
        "medical",
        details={"treatments": "Amoxicillin", "treatment_dose": "1 g x3/day", "treatment_days": 7},
    )
    treatment = m.Treatment.objects.get()
    start = timezone.localdate(encounter.occurred_at)
    assert (treatment.name, treatment.dose, treatment.since, treatment.until) == (
        "Amoxicillin",
        "1 g x3/day",
        start,
        start + timedelta(days=6),
    )
    now = clinical_summary(world.doctor, person, today=start + timedelta(days=6))
    later = clinical_summary(world.doctor, person, today=start + timedelta(days=7))
    assert [t.fields["name"] for t in now.current_treatments] == ["Amoxicillin"]
    assert later.current_treatments == [] and len(later.past_treatments) == 1
    # The encounter corrected: the derived treatment follows, no duplicate.
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=encounter.pk,
        version=encounter.version,
        data={},
        details={"treatments": "Amoxicillin", "treatment_days": 10},
    )
    treatment = m.Treatment.objects.get()
    assert treatment.until == start + timedelta(days=9) and treatment.version == 2


def test_a_treatment_without_a_duration_does_not_join(world, person, record):
    record(world.doctor, person, "medical", details={"treatments": "Paracetamol"})
    assert not m.Treatment.objects.exists()


def test_pregnancy_and_due_date_come_from_the_latest_antenatal_encounter(world, person, record):
    when = timezone.now() - timedelta(days=1)
    record(
        world.doctor,
        person,
        "medical",
        occurred_at=when,
        details={"pregnant": True, "gestational_age_weeks": 20},
    )
    pregnancy = m.Pregnancy.objects.get()
    assert pregnancy.status == "pregnant"
    assert pregnancy.due_date == timezone.localdate(when) + timedelta(weeks=20)
    # An older encounter does not override newer information.
    record(
        world.doctor,
        person,
        "medical",
        occurred_at=when - timedelta(days=30),
        details={"pregnant": False},
    )
    pregnancy.refresh_from_db()
    assert pregnancy.status == "pregnant"


def test_last_vital_signs_are_read_from_the_latest_encounter_with_vitals(world, person, record):
    record(
        world.doctor,
        person,
        "medical",
        occurred_at=timezone.now() - timedelta(days=3),
        details={"temperature_c": "38.5", "pulse_bpm": 100},
    )
    latest = record(
        world.doctor,
        person,
        "medical",
        occurred_at=timezone.now() - timedelta(days=1),
        details={"pulse_bpm": 80},
    )
    record(world.doctor, person, "medical", details={"reason": "No vitals taken"})
    vitals = clinical_summary(world.doctor, person).vitals
    assert vitals.encounter == latest.pk
    assert vitals.values["pulse_bpm"] == 80 and vitals.values["temperature_c"] is None


# --- pages ---------------------------------------------------------------------------


def test_the_doctor_sees_the_summary_card_on_the_record(world, person, login):
    add(world, person, "allergy", substance="Penicillin", reaction="Hives", severity="severe")
    page = login(world.doctor).get(reverse("dossier:person", args=[person.pk])).content.decode()
    assert "Clinical summary" in page and "Penicillin" in page and "Hives" in page


@pytest.mark.parametrize("persona", NOT_MEDICAL)
def test_a_non_medical_user_sees_no_summary_and_gets_404(world, person, login, persona):
    add(world, person, "allergy", substance="Penicillin")
    client = login(world.users[persona])
    record = client.get(reverse("dossier:person", args=[person.pk]))
    if persona != "meal":
        assert record.status_code == 200
    assert "Clinical summary" not in record.content.decode()
    assert "Penicillin" not in record.content.decode()
    assert client.get(summary_url(person)).status_code == 404
    assert client.get(item_url(person)).status_code == 404
    assert client.post(item_url(person), {"kind": "allergy", "substance": "X"}).status_code == 404
    assert m.Allergy.objects.count() == 1


def test_the_summary_page_is_access_logged(world, person, login):
    login(world.doctor).get(summary_url(person))
    assert list(AccessLog.objects.values_list("person_id", "what", "channel")) == [
        (person.pk, "clinical_summary", "web")
    ]


def test_adding_an_allergy_from_the_page(world, person, login):
    client = login(world.doctor)
    assert client.get(item_url(person, kind="allergy")).status_code == 200
    response = client.post(
        item_url(person),
        {"kind": "allergy", "substance": "Peanuts", "reaction": "Swelling", "severity": "severe"},
    )
    assert response.status_code == 302
    assert m.Allergy.objects.get().substance == "Peanuts"
    assert "Peanuts" in client.get(summary_url(person)).content.decode()


def test_bad_input_on_the_page_shows_the_field_error_and_saves_nothing(world, person, login):
    client = login(world.doctor)
    page = client.post(item_url(person), {"kind": "allergy", "reaction": "Swelling"})
    assert page.status_code == 200
    assert "Name the substance the person is allergic to." in page.content.decode()
    page = client.post(
        item_url(person),
        {"kind": "treatment", "name": "Ibuprofen", "since": "2026-05-10", "until": "2026-05-01"},
    )
    assert "The treatment cannot end before it starts." in page.content.decode()
    assert not m.Allergy.objects.exists() and not m.Treatment.objects.exists()


def test_a_stale_edit_on_the_page_says_so_and_keeps_the_newer_value(world, person, login):
    allergy = add(world, person, "allergy", substance="Penicillin")
    services.summary_item_update(
        actor=world.referent,
        person=person,
        kind="allergy",
        item_id=allergy.pk,
        version=1,
        data={"severity": "severe"},
    )
    page = login(world.doctor).post(
        item_url(person),
        {
            "kind": "allergy",
            "item": allergy.pk,
            "version": 1,
            "substance": "Penicillin",
            "severity": "mild",
        },
    )
    assert "Someone changed this item after you opened it" in page.content.decode()
    allergy.refresh_from_db()
    assert allergy.severity == "severe"


def test_ending_a_treatment_from_the_page(world, person, login):
    treatment = add(world, person, "treatment", name="Metformin", since=TODAY() - timedelta(days=9))
    response = login(world.doctor).post(
        reverse("care:summary_end", args=[person.pk]),
        {"kind": "treatment", "item": treatment.pk, "version": 1},
    )
    assert response.status_code == 302
    treatment.refresh_from_db()
    assert treatment.until == TODAY()


# --- API -------------------------------------------------------------------------------


def test_api_returns_the_summary_to_the_doctor_and_logs_the_read(world, person, api_as, record):
    add(world, person, "allergy", substance="Penicillin", severity="severe")
    add(world, person, "vaccination", vaccine="Measles (MMR)", given_on=TODAY())
    record(world.doctor, person, "medical", details={"pulse_bpm": 72})
    response = api_as(world.doctor).get(api_url(person))
    assert response.status_code == 200
    body = response.json()
    assert [a["substance"] for a in body["allergies"]] == ["Penicillin"]
    assert body["vaccinations"][0]["vaccine"] == "Measles (MMR)"
    assert body["last_vital_signs"]["pulse_bpm"] == 72
    assert AccessLog.objects.filter(person=person, what="clinical_summary", channel="api").exists()


@pytest.mark.parametrize("persona", NOT_MEDICAL)
def test_api_answers_404_to_the_other_roles(world, person, api_as, persona):
    add(world, person, "allergy", substance="Penicillin")
    response = api_as(world.users[persona]).get(api_url(person))
    assert response.status_code == 404
    assert "Penicillin" not in response.content.decode()
    assert not AccessLog.objects.filter(what="clinical_summary").exists()


def test_api_bad_input_gives_field_errors_and_saves_nothing(world, person, api_as):
    api = api_as(world.doctor)
    response = api.post(api_url(person, "/items"), {"kind": "allergy", "reaction": "rash"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {("body", "substance")}
    response = api.post(
        api_url(person, "/items"),
        {"kind": "treatment", "name": "X", "since": "2026-05-10", "until": "2026-05-01"},
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "until"]]
    assert not m.Allergy.objects.exists() and not m.Treatment.objects.exists()


def test_api_edit_with_a_stale_version_is_409(world, person, api_as):
    allergy = add(world, person, "allergy", substance="Penicillin")
    api = api_as(world.doctor)
    body = {"kind": "allergy", "id": allergy.pk, "version": 1, "severity": "severe"}
    first = api.patch(api_url(person, "/items"), body)
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(api_url(person, "/items"), {**body, "severity": "mild"})
    assert second.status_code == 409 and second.json()["version"] == 2
    allergy.refresh_from_db()
    assert allergy.severity == "severe"


def test_api_pregnancy_is_set_then_edited_with_its_version(world, person, api_as):
    api = api_as(world.doctor)
    due = (TODAY() + timedelta(weeks=10)).isoformat()
    created = api.patch(
        api_url(person, "/pregnancy"), {"version": None, "status": "pregnant", "due_date": due}
    )
    assert created.status_code == 200 and created.json()["due_date"] == due
    stale = api.patch(api_url(person, "/pregnancy"), {"version": None, "status": "unknown"})
    assert stale.status_code == 409
    edited = api.patch(
        api_url(person, "/pregnancy"), {"version": 1, "status": "not_pregnant", "due_date": None}
    )
    assert edited.status_code == 200 and edited.json()["status"] == "not_pregnant"


def test_api_writes_are_refused_to_other_roles(world, person, api_as, make_person):
    body = {"kind": "allergy", "substance": "Latex"}
    assert api_as(world.reception).post(api_url(person, "/items"), body).status_code == 403
    elsewhere = make_person(project=world.dunkerque, actor=world.referent)
    assert api_as(world.doctor).post(api_url(elsewhere, "/items"), body).status_code == 404
    assert not m.Allergy.objects.exists()


# --- from the medical encounter form ---------------------------------------------------


def test_the_medical_form_marks_a_chronic_diagnosis_and_a_prescription(world, person, login):
    client = login(world.doctor)
    occurred = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        f"/care/new/medical/?person={person.pk}",
        {
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "site": world.calais_day_centre.pk,
            "interpreter_mode": "",
            "diagnoses": ["E11", "J06.9"],
            "chronic_diagnoses": "e11",
            "treatments": "Metformin",
            "treatment_dose": "500 mg x2/day",
            "treatment_days": "30",
            "pregnant": "yes",
            "gestational_age_weeks": "12",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    summary = clinical_summary(world.doctor, person)
    assert [c.fields["icd10"] for c in summary.current_conditions] == ["E11"]
    [treatment] = summary.current_treatments
    assert (treatment.fields["dose"], treatment.fields["until"]) == (
        "500 mg x2/day",
        occurred.date() + timedelta(days=29),
    )
    assert summary.pregnancy.fields["due_date"] == occurred.date() + timedelta(weeks=28)
    page = client.get(reverse("dossier:person", args=[person.pk])).content.decode()
    assert "Metformin" in page and "E11" in page


def test_the_medical_form_refuses_a_chronic_code_not_among_the_diagnoses(world, person, login):
    page = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        {
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "site": world.calais_day_centre.pk,
            "interpreter_mode": "",
            "diagnoses": ["J06.9"],
            "chronic_diagnoses": "I10",
        },
    )
    assert page.status_code == 200
    assert "Mark as chronic only diagnoses of this encounter" in page.content.decode()
    assert not m.Encounter.objects.exists() and not m.ChronicCondition.objects.exists()


def test_setting_the_pregnancy_from_the_page(world, person, login):
    client = login(world.doctor)
    assert client.get(item_url(person, kind="pregnancy")).status_code == 200
    due = TODAY() + timedelta(weeks=8)
    response = client.post(
        item_url(person), {"kind": "pregnancy", "status": "pregnant", "due_date": due.isoformat()}
    )
    assert response.status_code == 302
    pregnancy = m.Pregnancy.objects.get()
    assert (pregnancy.status, pregnancy.due_date, pregnancy.version) == ("pregnant", due, 1)
    response = client.post(
        item_url(person), {"kind": "pregnancy", "version": 1, "status": "not_pregnant"}
    )
    assert response.status_code == 302
    pregnancy.refresh_from_db()
    assert (pregnancy.status, pregnancy.due_date, pregnancy.version) == ("not_pregnant", None, 2)


def test_a_planned_treatment_is_listed_with_the_current_ones_not_as_ended(world, person):
    add(world, person, "treatment", name="Iron", since=TODAY() + timedelta(days=3))
    summary = clinical_summary(world.doctor, person)
    assert [t.fields["name"] for t in summary.current_treatments] == ["Iron"]
    assert summary.past_treatments == [] and not summary.has_past


def test_the_summary_follows_a_merge_and_comes_back_on_undo(world, person, make_person):
    from parcours.people import merging as people_merging

    duplicate = make_person(given_name="Salam", family_name="Tesfaye")
    allergy = add(world, duplicate, "allergy", substance="Penicillin")
    services.pregnancy_set(
        actor=world.doctor, person=duplicate, version=None, data={"status": "pregnant"}
    )
    merge = people_merging.person_merge(actor=world.coordinator, keep=person, duplicate=duplicate)
    assert [a.fields["substance"] for a in clinical_summary(world.doctor, person).allergies] == [
        "Penicillin"
    ]
    assert m.Pregnancy.objects.get().person_id == person.pk
    people_merging.person_unmerge(actor=world.coordinator, record=merge)
    allergy.refresh_from_db()
    assert allergy.person_id == duplicate.pk
    assert m.Pregnancy.objects.get().person_id == duplicate.pk


def test_a_break_glass_reader_sees_the_summary_but_may_not_change_it(world, person, api_as):
    from parcours.access import services as access_services

    add(world, person, "allergy", substance="Penicillin")
    access_services.break_glass_open(
        actor=world.dunkerque_doctor, person=person, reason="Seen unconscious at the camp today"
    )
    summary = clinical_summary(world.dunkerque_doctor, person)
    assert [a.fields["substance"] for a in summary.allergies] == ["Penicillin"]
    assert not summary.may_edit
    api = api_as(world.dunkerque_doctor)
    assert api.get(api_url(person)).status_code == 200
    body = {"kind": "allergy", "substance": "Latex"}
    assert api.post(api_url(person, "/items"), body).status_code == 403
    assert m.Allergy.objects.count() == 1


def test_the_encounter_api_takes_the_chronic_mark_and_the_prescription(world, person, api_as):
    response = api_as(world.doctor).post(
        f"/api/v1/persons/{person.pk}/encounters",
        {
            "discipline": "medical",
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "site": world.calais_day_centre.pk,
            "details": {
                "diagnoses": ["I10"],
                "chronic_diagnoses": ["I10"],
                "treatments": "Amlodipine",
                "treatment_dose": "5 mg/day",
                "treatment_days": 90,
            },
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["details"]["chronic_diagnoses"] == ["I10"]
    assert m.ChronicCondition.objects.get().icd10 == "I10"
    assert m.Treatment.objects.get().dose == "5 mg/day"


def test_a_correction_of_the_encounter_does_not_undo_changes_made_by_hand(world, person, record):
    encounter = record(
        world.doctor,
        person,
        "medical",
        occurred_at=timezone.now() - timedelta(days=2),
        details={
            "diagnoses": ["E11"],
            "chronic_diagnoses": ["E11"],
            "treatments": "Amoxicillin",
            "treatment_days": 7,
        },
    )
    treatment, condition = m.Treatment.objects.get(), m.ChronicCondition.objects.get()
    services.summary_item_end(
        actor=world.doctor, person=person, kind="treatment", item_id=treatment.pk, version=1
    )
    services.summary_item_end(
        actor=world.doctor, person=person, kind="condition", item_id=condition.pk, version=1
    )
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=encounter.pk,
        version=encounter.version,
        data={"team_note": "Corrected note"},
        details={
            "diagnoses": ["E11"],
            "chronic_diagnoses": ["E11"],
            "treatments": "Amoxicillin",
            "treatment_days": 7,
        },
    )
    treatment.refresh_from_db()
    assert treatment.until == TODAY() and treatment.version == 2
    assert list(m.ChronicCondition.objects.values_list("resolved_on", flat=True)) == [TODAY()]


def test_what_an_encounter_taught_stays_with_the_project_that_saw_it(world, person, record):
    """A person followed in Calais and Dunkerque: the Dunkerque doctor does
    not see in the summary what only a Calais consultation said."""
    from parcours.care.summary import clinical_summary
    from parcours.people import services as people_services

    people_services.person_enrol(actor=world.referent, person=person, project=world.dunkerque)
    record(
        world.doctor,
        person,
        "medical",
        details={"diagnoses": ["B20"], "chronic_diagnoses": ["B20"]},
    )
    calais = clinical_summary(world.doctor, person)
    assert [c.fields.get("icd10") for c in calais.conditions] == ["B20"]
    dunkerque = clinical_summary(world.dunkerque_doctor, person)
    assert dunkerque is not None and dunkerque.conditions == []
