"""The clinical summary as one user may see it: built before anything is rendered.

Only who sees the medical category in full for the person (in one of the
person's projects, or by break-glass) gets a summary; everyone else gets
None, and the page and the API show nothing of it (the API answers 404).
The last vital signs are read from the latest medical encounter with vitals
that the user sees in full, never stored.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from parcours.access.records import (
    FULL,
    category_write_projects,
    may_see_category,
    record_scope,
)
from parcours.access.terms import Category
from parcours.care import models as m
from parcours.care.choices import Discipline
from parcours.care.icd10 import icd10_label

VITALS = (
    "temperature_c",
    "pulse_bpm",
    "systolic_mmhg",
    "diastolic_mmhg",
    "respiratory_rate",
    "spo2_percent",
    "weight_kg",
)


@dataclass
class Item:
    kind: str
    id: int
    version: int
    current: bool
    fields: dict
    from_encounter: int | None = None


@dataclass
class Vitals:
    encounter: int
    occurred_at: object
    values: dict

    def pairs(self) -> list[tuple[str, object]]:
        """(label, value) of the signs measured, for the page."""
        labels = {f.name: f.verbose_name for f in m.MedicalDetails._meta.concrete_fields}
        return [
            (str(labels[name])[:1].upper() + str(labels[name])[1:], value)
            for name, value in self.values.items()
            if value is not None
        ]


@dataclass
class ClinicalSummary:
    person_id: int
    allergies: list[Item] = field(default_factory=list)
    conditions: list[Item] = field(default_factory=list)
    treatments: list[Item] = field(default_factory=list)
    vaccinations: list[Item] = field(default_factory=list)
    pregnancy: Item | None = None
    vitals: Vitals | None = None
    may_edit: bool = False
    today: date = field(default_factory=timezone.localdate)

    def current(self, kind: str) -> list[Item]:
        """Current items; for treatments, the planned ones too (not yet started)."""
        return [i for i in getattr(self, kind) if i.current or self._planned(i)]

    def past(self, kind: str) -> list[Item]:
        return [i for i in getattr(self, kind) if not i.current and not self._planned(i)]

    def _planned(self, item: Item) -> bool:
        return item.kind == "treatment" and item.fields["since"] > self.today

    @property
    def current_allergies(self):
        return self.current("allergies")

    @property
    def current_conditions(self):
        return self.current("conditions")

    @property
    def current_treatments(self):
        return self.current("treatments")

    @property
    def past_allergies(self):
        return self.past("allergies")

    @property
    def past_conditions(self):
        return self.past("conditions")

    @property
    def past_treatments(self):
        return self.past("treatments")

    @property
    def has_past(self) -> bool:
        return any(self.past(k) for k in ("allergies", "conditions", "treatments"))


def _item(kind: str, row, current: bool, names) -> Item:
    return Item(
        kind=kind,
        id=row.pk,
        version=row.version,
        current=current,
        fields={name: getattr(row, name) for name in names},
        from_encounter=row.source_encounter_id,
    )


NAMES = {
    "allergy": ("substance", "reaction", "severity", "ended_on"),
    "condition": ("icd10", "label", "since", "note", "resolved_on"),
    "treatment": ("name", "dose", "since", "until"),
    "vaccination": ("vaccine", "given_on", "note"),
    "pregnancy": ("status", "due_date", "as_of"),
}


def _current(kind: str, row, today: date) -> bool:
    if kind == "allergy":
        return row.ended_on is None or row.ended_on > today
    if kind == "condition":
        return row.resolved_on is None or row.resolved_on > today
    if kind == "treatment":
        return row.is_current(today)
    if kind == "pregnancy":
        return row.status == m.PregnancyStatus.PREGNANT
    return True


def summary_item(kind: str, row, today: date | None = None) -> Item:
    """One row of the summary as pages and the API show it."""
    item = _item(kind, row, _current(kind, row, today or timezone.localdate()), NAMES[kind])
    if kind == "allergy":
        item.fields["severity_label"] = row.get_severity_display() if row.severity else ""
    if kind == "condition":
        # In the reader's language (stored in the writer's).
        item.fields["label"] = icd10_label(row.icd10) or row.label
    if kind == "pregnancy":
        item.fields["status_label"] = row.get_status_display()
    return item


def _shown(row, scope) -> bool:
    """An item derived from an encounter is shown only to who sees that
    encounter in full (its project's medical team): the summary never tells
    more than the record. Items written for the summary itself are shared by
    the person's medical readers."""
    encounter = row.source_encounter
    if encounter is None:
        return True
    return scope.level(Category.MEDICAL, encounter.project_id) == FULL


def _vitals(person, scope) -> Vitals | None:
    any_vital = Q()
    for name in VITALS:
        any_vital |= Q(**{f"medical__{name}__isnull": False})
    candidates = (
        m.Encounter.objects.filter(person=person, discipline=Discipline.MEDICAL)
        .filter(any_vital)
        .select_related("medical")
        .order_by("-occurred_at", "-id")
    )
    for encounter in candidates[:50]:
        if scope.level(Category.MEDICAL, encounter.project_id) != FULL:
            continue
        values = {name: getattr(encounter.medical, name) for name in VITALS}
        return Vitals(encounter=encounter.pk, occurred_at=encounter.occurred_at, values=values)
    return None


def clinical_summary(user, person, *, scope=None, today: date | None = None):
    """The person's clinical summary for ``user``, or None if the user does not
    see the medical category in full for them. ``scope``: the request's
    access.records.RecordScope, when the page has one."""
    scope = scope or record_scope(user, person)
    if not may_see_category(user, person, Category.MEDICAL, scope=scope):
        return None
    today = today or timezone.localdate()
    summary = ClinicalSummary(
        person_id=person.pk,
        today=today,
        may_edit=bool(category_write_projects(user, person, Category.MEDICAL))
        and not person.merged_into_id,
    )
    for kind, attribute, model in (
        ("allergy", "allergies", m.Allergy),
        ("condition", "conditions", m.ChronicCondition),
        ("treatment", "treatments", m.Treatment),
        ("vaccination", "vaccinations", m.Vaccination),
    ):
        rows = model.objects.filter(person=person).select_related("source_encounter")
        setattr(
            summary,
            attribute,
            [summary_item(kind, row, today) for row in rows if _shown(row, scope)],
        )
    pregnancy = m.Pregnancy.objects.filter(person=person).select_related("source_encounter").first()
    if pregnancy is not None and _shown(pregnancy, scope):
        summary.pregnancy = summary_item("pregnancy", pregnancy, today)
    summary.vitals = _vitals(person, scope)
    return summary
