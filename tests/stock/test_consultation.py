"""Dispensing from the medical consultation form: FEFO by default, the
quantity taken from the site's stock in the same transaction as the
encounter, the clinical summary's current treatments following; a logistics
user sees the dispensing with a pseudonymous reference, never a name, a
person code or a diagnosis."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.audit.models import AccessLog
from parcours.care import models as care
from parcours.care.summary import clinical_summary
from parcours.stock import ledger
from parcours.stock.models import Kind, LedgerLine
from parcours.stock.references import pseudonym


@pytest.fixture
def person(make_person):
    return make_person(given_name="Mohamed", family_name="Abdelkader")


def _consultation(person, world, **extra):
    occurred = timezone.localtime() - timedelta(hours=1)
    return {
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "site": world.calais_day_centre.pk,
        "interpreter_mode": "",
        "diagnoses": ["B86"],
        "reason": "Démangeaisons nocturnes",
        **extra,
    }


def test_the_form_offers_the_site_stock_with_fefo_first(world, person, paracetamol, receive, login):
    receive(paracetamol, 30, number="LATE", days=300)
    receive(paracetamol, 10, number="SOON", days=50)
    page = login(world.doctor).get(f"/care/new/medical/?person={person.pk}").content.decode()
    assert "Dispensed from the site" in page
    assert "DORAPARA5T" in page and "(40 tablet)" in page
    assert "First to expire (FEFO)" in page
    assert page.index("SOON") < page.index("LATE")


def test_dispensing_in_the_consultation_takes_the_stock_and_follows_the_summary(
    world, person, paracetamol, receive, login
):
    receive(paracetamol, 30, number="LATE", days=300)
    receive(paracetamol, 10, number="SOON", days=50)
    response = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        _consultation(
            person,
            world,
            **{
                "dispense-0-item": paracetamol.pk,
                "dispense-0-quantity": "12",
                "dispense-0-dose": "1 g x3/day",
                "dispense-0-days": "4",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    encounter = care.Encounter.objects.get()
    lines = LedgerLine.objects.filter(encounter=encounter).order_by("id")
    assert [(line.batch.number, line.quantity) for line in lines] == [("SOON", -10), ("LATE", -2)]
    assert {line.kind for line in lines} == {Kind.DISPENSING}
    assert ledger.item_on_hand(world.calais_day_centre.pk, paracetamol.pk) == 28
    [treatment] = clinical_summary(world.doctor, person).current_treatments
    assert treatment.fields["name"] in ("Paracetamol 500 mg", "Paracétamol 500 mg")
    assert treatment.fields["dose"] == "1 g x3/day"
    assert treatment.fields["until"] == timezone.localdate(encounter.occurred_at) + timedelta(
        days=3
    )


def test_a_chosen_batch_replaces_fefo(world, person, paracetamol, receive, login):
    receive(paracetamol, 30, number="LATE", days=300)
    receive(paracetamol, 10, number="SOON", days=50)
    late = paracetamol.batches.get(number="LATE")
    response = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        _consultation(
            person,
            world,
            **{
                "dispense-0-item": paracetamol.pk,
                "dispense-0-quantity": "3",
                "dispense-0-batch": late.pk,
            },
        ),
    )
    assert response.status_code == 302
    assert [line.batch.number for line in LedgerLine.objects.filter(kind="dispensing")] == ["LATE"]


def test_too_much_in_the_consultation_saves_nothing_and_says_what_is_left(
    world, person, paracetamol, receive, login
):
    receive(paracetamol, 8)
    page = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        _consultation(
            person, world, **{"dispense-0-item": paracetamol.pk, "dispense-0-quantity": "9"}
        ),
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nothing was saved." in text and "8 tablet" in text
    assert not care.Encounter.objects.exists()
    assert LedgerLine.objects.filter(kind="dispensing").count() == 0
    assert ledger.item_on_hand(world.calais_day_centre.pk, paracetamol.pk) == 8


def test_logistics_sees_the_dispensing_but_never_the_person_nor_the_diagnosis(
    world, person, paracetamol, receive, login, api_as
):
    receive(paracetamol, 20)
    login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        _consultation(
            person, world, **{"dispense-0-item": paracetamol.pk, "dispense-0-quantity": "2"}
        ),
    )
    encounter = care.Encounter.objects.get()
    code = person.enrolments.get().code
    site = world.calais_day_centre
    reference = pseudonym(encounter.pk)
    for path in (f"/stock/site/{site.pk}/ledger/", f"/stock/site/{site.pk}/"):
        page = login(world.logistics).get(path).content.decode()
        for secret in ("Mohamed", "Abdelkader", code, "B86", "Démangeaisons", "Scabies", "Gale"):
            assert secret not in page, (path, secret)
    assert (
        reference in login(world.logistics).get(f"/stock/site/{site.pk}/ledger/").content.decode()
    )
    body = api_as(world.logistics).get("/api/v1/stock/ledger", {"site": site.pk}).json()
    text = str(body)
    assert reference in text and code not in text and "Mohamed" not in text
    dispensing = next(r for r in body["results"] if r["kind"] == "dispensing")
    assert dispensing["person_code"] is None and dispensing["reference"] == reference
    # Who opens medical records there sees the person's code (and the read is logged).
    doctor = api_as(world.doctor).get("/api/v1/stock/ledger", {"site": site.pk}).json()
    assert next(r for r in doctor["results"] if r["kind"] == "dispensing")["person_code"] == code
    assert AccessLog.objects.filter(user=world.doctor, person=person, channel="api").exists()
    assert not AccessLog.objects.filter(user=world.logistics).exists()
    assert login(world.logistics).get(f"/people/{person.pk}/").status_code == 404


# --- editing the consultation ------------------------------------------------------


def _dispensed_consultation(world, person, paracetamol, receive, login):
    receive(paracetamol, 30, number="LOT1", days=300)
    client = login(world.doctor)
    response = client.post(
        f"/care/new/medical/?person={person.pk}",
        _consultation(
            person, world, **{"dispense-0-item": paracetamol.pk, "dispense-0-quantity": "12"}
        ),
    )
    assert response.status_code == 302
    return client, care.Encounter.objects.get()


def _edit(world, person, encounter, **extra):
    fields = _consultation(person, world, version=encounter.version, **extra)
    fields.pop("site")
    return fields


def test_editing_shows_what_was_dispensed_and_adds_lines(
    world, person, paracetamol, receive, login
):
    client, encounter = _dispensed_consultation(world, person, paracetamol, receive, login)
    page = client.get(f"/care/{encounter.pk}/edit/").content.decode()
    assert "Already dispensed in this consultation" in page
    [line] = LedgerLine.objects.filter(encounter=encounter)
    assert f'data-line="{line.pk}"' in page and "LOT1" in page and "12 tablet" in page
    response = client.post(
        f"/care/{encounter.pk}/edit/",
        _edit(
            world,
            person,
            encounter,
            **{"dispense-0-item": paracetamol.pk, "dispense-0-quantity": "6"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    quantities = list(
        LedgerLine.objects.filter(encounter=encounter)
        .order_by("id")
        .values_list("quantity", flat=True)
    )
    assert quantities == [-12, -6]
    assert ledger.item_on_hand(world.calais_day_centre.pk, paracetamol.pk) == 12
    encounter.refresh_from_db()
    assert encounter.version == 2


def test_a_dispensed_line_is_corrected_by_a_reversing_line(
    world, person, paracetamol, receive, login
):
    client, encounter = _dispensed_consultation(world, person, paracetamol, receive, login)
    [line] = LedgerLine.objects.filter(encounter=encounter)
    response = client.post(
        f"/care/{encounter.pk}/edit/",
        _edit(world, person, encounter, **{"dispense-cancel": line.pk}),
    )
    assert response.status_code == 302
    lines = list(LedgerLine.objects.filter(encounter=encounter).order_by("id"))
    assert [(x.quantity, x.reverses_id) for x in lines] == [(-12, None), (12, line.pk)]
    assert ledger.item_on_hand(world.calais_day_centre.pk, paracetamol.pk) == 30
    page = client.get(f"/care/{encounter.pk}/edit/").content.decode()
    assert 'name="dispense-cancel"' not in page  # neither line can be corrected again
    encounter.refresh_from_db()
    # Corrected twice (a stale page): refused, nothing written, the encounter unchanged.
    response = client.post(
        f"/care/{encounter.pk}/edit/",
        _edit(world, person, encounter, reason="Changed", **{"dispense-cancel": line.pk}),
    )
    assert response.status_code == 200
    assert "it was corrected" in response.content.decode()
    assert LedgerLine.objects.filter(encounter=encounter).count() == 2
    encounter.refresh_from_db()
    assert encounter.version == 2


def test_too_much_on_edit_saves_neither_the_encounter_nor_the_stock(
    world, person, paracetamol, receive, login
):
    client, encounter = _dispensed_consultation(world, person, paracetamol, receive, login)
    [line] = LedgerLine.objects.filter(encounter=encounter)
    response = client.post(
        f"/care/{encounter.pk}/edit/",
        _edit(
            world,
            person,
            encounter,
            reason="Changed",
            **{
                "dispense-cancel": line.pk,
                "dispense-0-item": paracetamol.pk,
                "dispense-0-quantity": "31",
            },
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Not enough in stock" in page
    assert LedgerLine.objects.filter(encounter=encounter).count() == 1
    encounter.refresh_from_db()
    assert encounter.version == 1
