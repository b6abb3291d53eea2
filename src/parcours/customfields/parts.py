"""The custom fields of a project inside the person form and the encounter
forms (registered in people's and care's form registries by
CustomFieldsConfig.ready), saved in the same transaction as the record.

A user is offered the fields of the categories they may write in the
project (create; edit when changing a person), and, when editing, sees
only the values of the categories they see in full for the person.
"""

from django.core.exceptions import ValidationError

from parcours.access.records import record_scope
from parcours.access.scope import may, person_projects
from parcours.access.terms import Action
from parcours.care.choices import Discipline
from parcours.customfields.forms import ValuesForm
from parcours.customfields.services import form_fields, stored_values, values_save
from parcours.customfields.validation import target_label
from parcours.org.models import Project

FULL = "full"


def _writable(user, fields, project_id: int, actions) -> list:
    return [f for f in fields if any(may(user, a, f.category, project_id) for a in actions)]


def _chosen(data, key: str, project_ids) -> int | None:
    """The project the POST chose (through its project or site), or the only one."""
    if len(project_ids) == 1:
        return next(iter(project_ids))
    if data is None:
        return None
    try:
        return int(data.get(key, ""))
    except (TypeError, ValueError):
        return None


class _Part:
    template_name = "customfields/_form_part.html"

    def __init__(self, forms: dict, names: dict, chosen):
        self.forms = forms  # project id -> ValuesForm
        self.names = names  # project id -> project name
        self.chosen = chosen

    def groups(self):
        many = len(self.forms) > 1
        return [
            {"project": self.names[pid] if many else "", "form": form}
            for pid, form in self.forms.items()
        ]

    def _checked(self):
        if self.chosen is None:
            return list(self.forms.values())
        form = self.forms.get(self.chosen)
        return [form] if form is not None else []

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self._checked()])


class PersonCustomPart(_Part):
    title = ""

    @classmethod
    def build(cls, *, user, projects, person, data):
        if person is None:
            project_ids = {p.pk for p in projects}
            actions, values, created = (Action.CREATE,), {}, None
        else:
            scope = record_scope(user, person)
            project_ids = person_projects(person)
            actions, created = (Action.CREATE, Action.EDIT), person.created_at
        forms, names = {}, {}
        for project in Project.objects.filter(pk__in=project_ids).order_by("name"):
            fields = _writable(user, form_fields(project.pk, "person"), project.pk, actions)
            if person is not None:
                fields = [f for f in fields if scope.level(f.category, project.pk) == FULL]
                values = stored_values(fields, person=person)
            if fields:
                forms[project.pk] = ValuesForm(
                    data,
                    fields=fields,
                    prefix=f"cf{project.pk}",
                    values=values,
                    record_created_at=created,
                )
                names[project.pk] = project.name
        if not forms:
            return None
        chosen = _chosen(data, "project", set(forms)) if person is None else None
        part = cls(forms, names, chosen)
        part.title = target_label("person")
        return part

    def save(self, *, actor, person, project=None) -> None:
        for pid, form in self.forms.items():
            if project is not None and pid != project.pk:
                continue
            if not form.is_valid():
                raise ValidationError(list(form.errors.values())[0])
            values_save(
                actor=actor,
                fields=form.custom_fields,
                values=form.values,
                project=Project.objects.get(pk=pid),
                person=person,
            )


class EncounterCustomPart(_Part):
    """One subclass per discipline (care calls ``build`` without naming it)."""

    discipline = ""
    disciplines: frozenset[str] = frozenset()
    title = ""
    on_edit = True  # also on the encounter's edit page, with its values

    @classmethod
    def build(cls, *, user, sites, data, person, encounter=None):
        if encounter is not None:
            return cls._build_edit(user=user, data=data, encounter=encounter)
        forms, names, site_projects = {}, {}, {}
        for site in sites:
            site_projects[site.pk] = site.project
        for project in {p.pk: p for p in site_projects.values()}.values():
            fields = form_fields(project.pk, cls.discipline)
            fields = _writable(user, fields, project.pk, (Action.CREATE,))
            if fields:
                forms[project.pk] = ValuesForm(data, fields=fields, prefix=f"cf{project.pk}")
                names[project.pk] = project.name
        if not forms:
            return None
        chosen = None
        if len(forms) == 1:
            chosen = next(iter(forms))
        elif data is not None:
            site_id = _chosen(data, "site", set())
            project = site_projects.get(site_id)
            chosen = project.pk if project is not None else None
        part = cls(forms, names, chosen)
        part.title = target_label(cls.discipline)
        return part

    @classmethod
    def _build_edit(cls, *, user, data, encounter):
        """The fields of the encounter's project the user may fill, with the
        encounter's values; a field made required after the encounter was
        recorded stays optional for it."""
        project = encounter.project
        fields = form_fields(project.pk, cls.discipline)
        fields = _writable(user, fields, project.pk, (Action.CREATE, Action.EDIT))
        if not fields:
            return None
        form = ValuesForm(
            data,
            fields=fields,
            prefix=f"cf{project.pk}",
            values=stored_values(fields, encounter=encounter),
            record_created_at=encounter.created_at,
        )
        part = cls({project.pk: form}, {project.pk: project.name}, project.pk)
        part.title = target_label(cls.discipline)
        return part

    def save(self, *, actor, encounter) -> None:
        form = self.forms.get(encounter.project_id)
        if form is None:
            return
        if not form.is_valid():
            raise ValidationError(list(form.errors.values())[0])
        values_save(
            actor=actor,
            fields=form.custom_fields,
            values=form.values,
            project=encounter.project,
            encounter=encounter,
        )


def encounter_parts() -> list[type]:
    return [
        type(
            f"EncounterCustomPart_{d}",
            (EncounterCustomPart,),
            {"discipline": d, "disciplines": frozenset({d})},
        )
        for d in Discipline.values
    ]
