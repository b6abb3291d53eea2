"""Records written straight into the care tables (the engine only reads them),
and indicators defined as the MEAL plan would."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from parcours.care import models as care
from parcours.meal.models import Indicator, IndicatorKind, Measure, Target
from parcours.people.models import Enrolment, Person

DETAILS = {
    "medical": care.MedicalDetails,
    "mental_health": care.MentalHealthDetails,
    "social": care.SocialDetails,
    "legal_protection": care.LegalDetails,
    "sv_incident": care.SVIncident,
    "shelter": care.ActivityDetails,
    "day_centre": care.ActivityDetails,
    "outreach": care.ActivityDetails,
}


def local(day: date, hour: int = 10, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def person(world):
    counter = {"n": 0}

    def _person(project=None, sex="female", birth_date=date(1995, 5, 1), nationality="ER"):
        counter["n"] += 1
        project = project or world.calais
        p = Person.objects.create(
            given_name=f"Given{counter['n']}",
            family_name=f"Family{counter['n']}",
            sex=sex,
            birth_date=birth_date,
            nationality=nationality,
        )
        Enrolment.objects.create(person=p, project=project, code=f"T{p.pk:06d}")
        return p

    return _person


@pytest.fixture
def encounter(world):
    def _encounter(
        discipline, when, person=None, *, project=None, site=None, first=True, **details
    ):
        project = project or world.calais
        site = site or (
            world.calais_day_centre if project == world.calais else world.dunkerque_camp
        )
        enc = care.Encounter.objects.create(
            discipline=discipline,
            person=person,
            project=project,
            site=site,
            occurred_at=when,
            author=world.doctor,
            is_first_visit=first,
        )
        tallies = details.pop("tallies", None)
        model = DETAILS.get(discipline)
        if model is not None and (details or discipline != "outreach"):
            if discipline == "sv_incident":
                details.setdefault("gbv_type", "rape")
            model.objects.create(encounter=enc, **details)
        for sex, group, count in tallies or ():
            care.Tally.objects.create(encounter=enc, sex=sex, age_group=group, count=count)
        return enc

    return _encounter


@pytest.fixture
def indicator(world):
    def _indicator(code="MED-CONS", project=None, **fields):
        fields.setdefault("name_fr", code)
        fields.setdefault("name_en", code)
        fields.setdefault("kind", IndicatorKind.COMPUTED)
        fields.setdefault("fact", "medical")
        fields.setdefault("measure", Measure.COUNT)
        targets = fields.pop("targets", {})
        ind = Indicator.objects.create(project=project or world.calais, code=code, **fields)
        for period, value in targets.items():
            Target.objects.create(indicator=ind, period=period, value=value)
        return ind

    return _indicator
