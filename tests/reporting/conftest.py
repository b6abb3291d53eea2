"""A Calais month (last month) with medical consultations, and the Calais
indicators of the MEAL engine: consultations (computed, with a target) and a
narrative indicator."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.care import services as care_services
from parcours.meal.models import Indicator, NarrativeValue, Target
from parcours.meal.periods import Period


@pytest.fixture
def period():
    return Period.containing(timezone.localdate(), "month").previous()


@pytest.fixture
def on(period):
    def _on(day: int, hour: int = 10):
        return timezone.make_aware(
            datetime.combine(period.start + timedelta(days=day - 1), time(hour))
        )

    return _on


@pytest.fixture
def consult(world, on):
    def _consult(person, day: int, actor=None):
        return care_services.encounter_record(
            actor=actor or world.doctor,
            discipline="medical",
            site=world.calais_day_centre,
            person=person,
            data={"occurred_at": on(day)},
            details={"morbidity": "scabies"},
        )

    return _consult


@pytest.fixture
def indicators(world, period, make_person, consult):
    med = Indicator.objects.create(
        project=world.calais,
        code="MED-CONS",
        name_fr="Consultations médicales",
        name_en="Medical consultations",
        kind="computed",
        fact="medical",
        measure="count",
        unit="consultations",
    )
    Target.objects.create(indicator=med, period=period.code, value=Decimal("10"))
    story = Indicator.objects.create(
        project=world.calais,
        code="NARR-CTX",
        name_fr="Contexte humanitaire",
        name_en="Humanitarian context",
        kind="narrative",
        type="qualitative",
    )
    NarrativeValue.objects.create(
        indicator=story, period=period.code, text="Evictions every 48 hours on the coast."
    )
    amanuel = make_person(given_name="Amanuel", family_name="Tesfay", sex="male")
    senait = make_person(given_name="Senait", family_name="Woldu", sex="female")
    for person, day in ((amanuel, 3), (senait, 4), (amanuel, 20)):
        consult(person, day)
    return {"med": med, "story": story, "amanuel": amanuel, "senait": senait}
