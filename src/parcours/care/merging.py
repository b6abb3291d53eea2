"""A person's care history follows their record when duplicates are merged
(and goes back when the merge is undone); first visits are recomputed."""

from django.dispatch import receiver

from parcours.care.models import Encounter, LinkedPerson
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
