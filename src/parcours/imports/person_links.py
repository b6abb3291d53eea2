"""What the person's page (dossier) shows of the imported data: a link to
``/imports/person/<id>/`` when the person has imported fields or notes in a
category the user sees in full, the same rule as that page's."""

from django.urls import reverse
from django.utils.translation import gettext as _

from parcours.imports.models import ImportedField, ImportedNote


def visible_imported(person, scope) -> tuple[list[ImportedField], list[ImportedNote]]:
    visible = {c.value for c in scope.visible_categories()}
    fields = list(ImportedField.objects.filter(person=person, category__in=visible))
    notes = list(ImportedNote.objects.filter(person=person, category__in=visible))
    return fields, notes


def imported_data_link(user, person, scope) -> tuple[str, str] | None:
    visible = {c.value for c in scope.visible_categories()}
    if not (
        ImportedField.objects.filter(person=person, category__in=visible).exists()
        or ImportedNote.objects.filter(person=person, category__in=visible).exists()
    ):
        return None
    return _("Imported data"), reverse("imports:person_data", args=[person.pk])
