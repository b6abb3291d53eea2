"""Each check against records built here: a finding when it should, none otherwise."""

from datetime import timedelta

from django.db.models import F

from parcours.care.models import Encounter, MedicalDetails
from parcours.people.models import NotDuplicate, Person
from parcours.quality.checks import CHECKS, CHECKS_BY_CODE
from parcours.quality.evaluate import flagged_records, full_scope, summarise


def found(code, world, month):
    check = CHECKS_BY_CODE[code]
    return set(
        flagged_records(check, world.calais, month, full_scope()).values_list("pk", flat=True)
    )


def test_every_check_is_declared_once_with_a_label():
    codes = [check.code for check in CHECKS]
    assert len(codes) == len(set(codes))
    assert all(str(check.label) for check in CHECKS)
    assert {check.kind for check in CHECKS} == {
        "completeness",
        "timeliness",
        "duplicates",
        "impossible",
        "contradiction",
    }


def test_missing_sex_birth_date_and_nationality_of_persons_seen(
    world, make_person, complete, record, on, month
):
    unknown = make_person(given_name="Yonas", family_name="Tekle")  # nothing but a name
    full = complete(given_name="Senait", family_name="Woldu")
    not_seen = make_person(given_name="Abel", family_name="Haile")
    record(world.doctor, "medical", on(5), unknown)
    record(world.doctor, "medical", on(6), full)
    # Seen the month before only: not checked this month.
    record(world.doctor, "medical", on(1, 0) - timedelta(days=3), not_seen)
    assert found("person_sex", world, month) == {unknown.pk}
    assert found("person_birth_date", world, month) == {unknown.pk}
    assert found("person_nationality", world, month) == {unknown.pk}
    Person.objects.filter(pk=unknown.pk).update(sex="male", birth_date=full.birth_date)
    assert found("person_sex", world, month) == set()
    assert found("person_birth_date", world, month) == set()
    assert found("person_nationality", world, month) == {unknown.pk}


def test_medical_consultation_without_morbidity(world, complete, record, on, month):
    person = complete()
    without = record(world.doctor, "medical", on(3), person)
    record(world.doctor, "medical", on(4), person, details={"morbidity": "scabies"})
    record(world.psychologist, "mental_health", on(4), person)  # not a medical record
    assert found("medical_morbidity", world, month) == {without.pk}


def test_late_entry_uses_the_setting(world, complete, record, on, month, settings):
    person = complete()
    late = record(world.doctor, "medical", on(3), person)
    on_time = record(world.psychologist, "mental_health", on(3), person)
    Encounter.objects.filter(pk=late.pk).update(created_at=on(3) + timedelta(days=8))
    Encounter.objects.filter(pk=on_time.pk).update(created_at=on(3) + timedelta(days=6))
    assert found("late_entry", world, month) == {late.pk}
    settings.PARCOURS_DATA_QUALITY_LATE_DAYS = 5
    assert found("late_entry", world, month) == {late.pk, on_time.pk}


def test_suspected_duplicates_not_merged(world, complete, record, on, month):
    one = complete(given_name="Mohammed", family_name="Al-Ajmi", nationality="SD")
    other = complete(given_name="Mohamed", family_name="ALAJMI", nationality="SD")
    apart = complete(given_name="Senait", family_name="Woldu")
    for person in (one, other, apart):
        record(world.doctor, "medical", on(7), person)
    assert found("suspected_duplicate", world, month) == {one.pk, other.pk}
    first, second = sorted((one.pk, other.pk))
    NotDuplicate.objects.create(first_id=first, second_id=second, decided_by=world.coordinator)
    assert found("suspected_duplicate", world, month) == set()


def test_impossible_gestational_age_pulse_and_temperature(world, complete, record, on, month):
    person = complete()
    odd = record(world.doctor, "medical", on(2), person)
    fine = record(world.doctor, "medical", on(2, 11), person)
    MedicalDetails.objects.filter(encounter=odd).update(
        gestational_age_weeks=46, pulse_bpm=300, temperature_c=50
    )
    MedicalDetails.objects.filter(encounter=fine).update(
        gestational_age_weeks=45, pulse_bpm=80, temperature_c=37
    )
    assert found("gestational_age", world, month) == {odd.pk}
    assert found("pulse", world, month) == {odd.pk}
    assert found("temperature", world, month) == {odd.pk}
    MedicalDetails.objects.filter(encounter=odd).update(pulse_bpm=10, temperature_c=25)
    assert found("pulse", world, month) == {odd.pk}
    assert found("temperature", world, month) == {odd.pk}


def test_date_of_birth_after_the_encounter(world, complete, record, on, month):
    person = complete()
    other = complete(given_name="Senait", family_name="Woldu")
    encounter = record(world.doctor, "medical", on(10), person)
    record(world.doctor, "medical", on(10), other)
    Person.objects.filter(pk=person.pk).update(birth_date=(on(11)).date())
    assert found("born_after_encounter", world, month) == {encounter.pk}
    Person.objects.filter(pk=person.pk).update(birth_date=(on(10)).date())
    assert found("born_after_encounter", world, month) == set()


def test_pregnancy_on_a_male_record(world, complete, record, on, month):
    man = complete(sex="male")
    woman = complete(given_name="Senait", family_name="Woldu")
    on_him = record(world.doctor, "medical", on(4), man)
    record(world.doctor, "medical", on(4), woman, details={"pregnant": True})
    MedicalDetails.objects.filter(encounter=on_him).update(pregnant=True)
    assert found("pregnant_male", world, month) == {on_him.pk}


def test_pep_within_72_hours_long_after_the_incident(world, complete, record, on, month):
    late = complete()
    timely = complete(given_name="Senait", family_name="Woldu")
    for person, days_before in ((late, 10), (timely, 1)):
        record(
            world.referent,
            "sv_incident",
            on(12),
            person,
            details={
                "gbv_type": "rape",
                "incident_date": (on(12) - timedelta(days=days_before)).date(),
                "consent_anonymous_reporting": True,
            },
        )
    care = {"sv_care": True, "pep_given": True, "hours_since_incident": 48}
    flagged = record(world.doctor, "medical", on(12), late, details=care)
    record(world.doctor, "medical", on(12), timely, details=care)
    record(world.doctor, "medical", on(13), late, details={**care, "pep_given": False})
    assert found("pep_after_72h", world, month) == {flagged.pk}


def test_incident_within_72_hours_contradicts_its_date(world, complete, record, on, month):
    person = complete()
    contradicted = record(
        world.referent,
        "sv_incident",
        on(15),
        person,
        details={
            "gbv_type": "rape",
            "incident_date": (on(15) - timedelta(days=6)).date(),
            "hours_to_care": 24,
        },
    )
    record(
        world.referent,
        "sv_incident",
        on(16),
        person,
        details={
            "gbv_type": "rape",
            "incident_date": (on(16) - timedelta(days=3)).date(),
            "hours_to_care": 70,
        },
    )
    assert found("sv_hours_to_care", world, month) == {contradicted.pk}


def test_follow_up_dated_before_the_first_visit(world, complete, record, on, month):
    person = complete()
    earlier = record(world.doctor, "medical", on(5), person)
    later = record(world.doctor, "medical", on(9), person)
    assert found("follow_up_before_first", world, month) == set()
    # An import swapped the flags: the follow-up is now before the first visit.
    Encounter.objects.filter(pk=earlier.pk).update(is_first_visit=False)
    Encounter.objects.filter(pk=later.pk).update(is_first_visit=True)
    assert found("follow_up_before_first", world, month) == {earlier.pk}


def test_records_of_another_project_or_month_are_not_checked(world, make_person, record, on, month):
    elsewhere = make_person(project=world.dunkerque, actor=world.referent)
    record(world.dunkerque_doctor, "medical", on(5), elsewhere, site=world.dunkerque_camp)
    nameless = make_person()
    record(world.doctor, "medical", on(1, 0) - timedelta(minutes=1), nameless)
    summary = summarise(world.calais, month, full_scope())
    assert summary.checked == 0
    assert summary.findings == 0
    assert summary.score is None


def test_score_is_the_share_of_records_without_a_finding(
    world, complete, make_person, record, on, month
):
    clean = complete()
    missing = make_person(
        given_name="Yonas", family_name="Tekle", sex="male", birth_date=clean.birth_date
    )  # no nationality
    record(world.doctor, "medical", on(3), clean, details={"morbidity": "scabies"})
    record(world.doctor, "medical", on(4), clean, details={"morbidity": "skin"})
    without = record(world.doctor, "medical", on(5), missing)  # no morbidity
    record(world.psychologist, "mental_health", on(5), missing)
    # Entered on the day (the test records them today, for last month).
    Encounter.objects.update(created_at=F("occurred_at"))
    # Checked: 4 encounters + 2 persons; with a finding: 1 encounter + 1 person.
    summary = summarise(world.calais, month, full_scope())
    assert summary.checked == 6
    assert summary.with_findings == 2
    assert summary.score == round(100 * 4 / 6, 1)
    by_code = {r.check.code: r for r in summary.results}
    assert by_code["medical_morbidity"].checked == 3
    assert by_code["medical_morbidity"].found == 1
    assert by_code["person_nationality"].found == 1
    assert without.pk
    # The last minute of the month, Paris time, belongs to it.
    record(
        world.doctor,
        "medical",
        on(1) + timedelta(days=month.last_day.day - 1, hours=13, minutes=29),
        clean,
        details={"morbidity": "skin"},
    )
    assert summarise(world.calais, month, full_scope()).checked == 7
