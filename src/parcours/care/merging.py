"""A person's care history and clinical summary follow their record when
duplicates are merged (and go back when the merge is undone); first visits
are recomputed."""

from django.dispatch import receiver

from parcours.care.models import (
    Allergy,
    ChronicCondition,
    Encounter,
    LinkedPerson,
    Pregnancy,
    Treatment,
    Vaccination,
)
from parcours.care.services import derive_first_visits
from parcours.people.signals import person_merged, person_unmerged


def _refresh_first_visits(person) -> None:
    for discipline in set(
        Encounter.objects.filter(person=person).values_list("discipline", flat=True)
    ):
        derive_first_visits(person, discipline)


@receiver(person_merged)
def move_care_history(sender, source, target, **kwargs) -> dict[str, list[int]]:
    encounters = list(Encounter.objects.filter(person=source).values_list("pk", flat=True))
    Encounter.objects.filter(pk__in=encounters).update(person=target)
    links = list(
        LinkedPerson.objects.filter(person=source)
        .exclude(encounter__linked__person=target)
        .values_list("pk", flat=True)
    )
    LinkedPerson.objects.filter(pk__in=links).update(person=target)
    _refresh_first_visits(target)
    return {"encounters": encounters, "linked_persons": links}


@receiver(person_unmerged)
def restore_care_history(sender, source, target, moved, **kwargs) -> None:
    Encounter.objects.filter(pk__in=moved.get("encounters", [])).update(person=source)
    LinkedPerson.objects.filter(pk__in=moved.get("linked_persons", [])).update(person=source)
    _refresh_first_visits(source)
    _refresh_first_visits(target)


# The clinical summary's items, by the key under which the merge records them.
SUMMARY_ITEMS = {
    "summary_allergies": Allergy,
    "summary_conditions": ChronicCondition,
    "summary_treatments": Treatment,
    "summary_vaccinations": Vaccination,
}


@receiver(person_merged)
def move_clinical_summary(sender, source, target, **kwargs) -> dict[str, list[int]]:
    """Every item joins the kept record; the pregnancy status only if the kept
    record has none (one per person: the duplicate's stays with it)."""
    moved = {}
    for key, model in SUMMARY_ITEMS.items():
        moved[key] = list(model.objects.filter(person=source).values_list("pk", flat=True))
        model.objects.filter(pk__in=moved[key]).update(person=target)
    moved["summary_pregnancy"] = []
    if not Pregnancy.objects.filter(person=target).exists():
        moved["summary_pregnancy"] = list(
            Pregnancy.objects.filter(person=source).values_list("pk", flat=True)
        )
        Pregnancy.objects.filter(pk__in=moved["summary_pregnancy"]).update(person=target)
    return moved


@receiver(person_unmerged)
def restore_clinical_summary(sender, source, target, moved, **kwargs) -> None:
    for key, model in {**SUMMARY_ITEMS, "summary_pregnancy": Pregnancy}.items():
        model.objects.filter(pk__in=moved.get(key, [])).update(person=source)
