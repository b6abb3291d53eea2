"""What the access tests share: one of every object a page URL can name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.care import services as care_services
from parcours.people import merging as people_merging
from parcours.people import services as people_services


@pytest.fixture
def targets(world, make_person):
    """Ids for every converter of the page URLs, all about one Calais person
    (with a merge undone, a family, a consultation and a break-glass opening)."""
    person = make_person(given_name="Mohamed", family_name="Idris")
    duplicate = make_person(given_name="Muhammad", family_name="Idriss")
    merge = people_merging.person_merge(actor=world.coordinator, keep=person, duplicate=duplicate)
    people_merging.person_unmerge(actor=world.coordinator, record=merge)
    group = people_services.group_create(
        actor=world.coordinator,
        project=world.calais,
        name="Famille",
        kind="family",
        members=[(person, "head")],
    )
    encounter = care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(hours=1)},
    )
    opening = access_services.break_glass_open(
        actor=world.dunkerque_doctor, person=person, reason="Seen unconscious at the camp today"
    )
    return {
        "person": person,
        "person_id": person.pk,
        "record_id": merge.pk,
        "group_id": group.pk,
        "encounter_id": encounter.pk,
        "opening_id": opening.pk,
        "discipline": "medical",
    }
