"""The ``custom`` key of the person and encounter API (and the record's
details): registered in people's and care's value handlers by
CustomFieldsConfig.ready.

Written values are checked like in the forms (``validation.clean_values``);
an error names the field (``custom.<code>``), and nothing is written: the
handlers run in the record's transaction.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.access.records import FULL, record_scope
from parcours.access.scope import may, person_projects
from parcours.access.terms import Action
from parcours.customfields import display
from parcours.customfields.services import form_fields, values_save
from parcours.customfields.validation import clean_values
from parcours.org.models import Project


def jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _writable(actor, project_id: int, target: str, actions) -> list:
    return [
        f
        for f in form_fields(project_id, target)
        if any(may(actor, a, f.category, project_id) for a in actions)
    ]


def write(*, actor, target: str, raw, project_ids, created_at=None, person=None, encounter=None):
    """Check and write ``raw`` ({code: value}) for the fields of ``target`` in
    these projects that ``actor`` may fill. ``created_at`` None: a new record
    (required fields are asked); else only the codes sent are touched."""
    if raw is None:
        if created_at is not None:
            return
        raw = {}  # a new record: its required fields are asked all the same
    if not isinstance(raw, dict):
        raise ValidationError({"custom": [_("Send the custom fields as an object: code → value.")]})
    actions = (Action.CREATE,) if created_at is None else (Action.CREATE, Action.EDIT)
    by_project = {pid: _writable(actor, pid, target, actions) for pid in project_ids}
    known = {f.code for fields in by_project.values() for f in fields}
    errors = {
        f"custom.{code}": [
            _("“%(code)s” is not a custom field you may fill in this form.")
            % {"code": str(code)[:40]}
        ]
        for code in raw
        if code not in known
    }
    checked = {}
    for pid, fields in by_project.items():
        if created_at is not None:
            fields = [f for f in fields if f.code in raw]
        values, field_errors = clean_values(fields, raw, record_created_at=created_at)
        for code, messages in field_errors.items():
            errors[f"custom.{code}"] = messages
        checked[pid] = (fields, values)
    if errors:
        raise ValidationError(errors)
    for pid, (fields, values) in checked.items():
        if fields:
            values_save(
                actor=actor,
                fields=fields,
                values=values,
                project=Project.objects.get(pk=pid),
                person=person,
                encounter=encounter,
            )


class PersonValues:
    @staticmethod
    def read(user, person) -> dict:
        raw = display.person_values_raw(person, record_scope(user, person))
        return {"custom": {code: jsonable(v) for code, v in raw.items()}}

    @staticmethod
    def write(*, actor, person, project, raw) -> None:
        if project is not None:
            write(actor=actor, target="person", raw=raw, project_ids=[project.pk], person=person)
        else:
            write(
                actor=actor,
                target="person",
                raw=raw,
                project_ids=sorted(person_projects(person)),
                created_at=person.created_at,
                person=person,
            )


class EncounterValues:
    @staticmethod
    def read(user, encounter) -> dict:
        if encounter.person_id is not None:
            scope = record_scope(user, encounter.person)
            level = scope.level
        else:

            def level(category, project_id):
                return FULL if may(user, Action.VIEW, category, project_id) else ""

        pairs = display.encounter_values(
            [encounter.pk], _Scope(level), {encounter.pk: encounter.project_id}
        )
        return {
            "custom": {field.code: jsonable(value) for field, value in pairs.get(encounter.pk, [])}
        }

    @staticmethod
    def write(*, actor, encounter, raw) -> None:
        write(
            actor=actor,
            target=encounter.discipline,
            raw=raw,
            project_ids=[encounter.project_id],
            encounter=encounter,
        )

    @staticmethod
    def decorate_record(record, scope) -> None:
        display.add_to_record(record, scope)


class _Scope:
    def __init__(self, level):
        self.level = level
