"""Forms of the MEAL plan. They only shape input: the services check it
(levels, codes, the definition of a computed indicator) and save it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parcours.meal.definitions import OPERATORS
from parcours.meal.facts import DIMENSIONS, all_facts
from parcours.meal.models import (
    Frequency,
    IndicatorKind,
    IndicatorType,
    Level,
    Measure,
    Objective,
    ObjectiveKind,
    ProjectMapping,
)

FILTER_ROWS = 4


class ServiceErrors:
    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class ObjectiveForm(ServiceErrors, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    parent = forms.ModelChoiceField(
        label=_("Under"), queryset=Objective.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ObjectiveKind.choices, required=False)
    code = forms.CharField(label=_("Code"), max_length=24)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 3}))
    assumptions = forms.CharField(
        label=_("Assumptions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, project, *args, instance=None, **kwargs):
        if instance is not None and (not args or args[0] is None):
            kwargs.setdefault(
                "initial",
                {
                    "level": instance.level,
                    "parent": instance.parent_id,
                    "kind": instance.kind,
                    "code": instance.code,
                    "narrative": instance.narrative,
                    "assumptions": instance.assumptions,
                    "order": instance.order,
                },
            )
        super().__init__(*args, **kwargs)
        parents = Objective.objects.filter(project=project).exclude(level=Level.ACTIVITY)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents


def _field_choices():
    choices = [("", "—")]
    for fact in all_facts():
        group = [(f"{fact.code}:{f.name}", f"{f.label}") for f in fact.fields]
        if group:
            choices.append((str(fact.label), group))
    return choices


def _filter_value(raw: str, op: str):
    raw = raw.strip()
    if op == "in":
        return [v.strip() for v in raw.split(",") if v.strip()]
    if op == "isnull":
        return raw.lower() in ("1", "true", "yes", "oui", "vrai")
    return raw


class IndicatorForm(ServiceErrors, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=24)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    objective = forms.ModelChoiceField(
        label=_("Logframe level"), queryset=Objective.objects.none(), required=False
    )
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    type = forms.ChoiceField(label=_("Type"), choices=IndicatorType.choices)
    kind = forms.ChoiceField(label=_("Value obtained"), choices=IndicatorKind.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    baseline_value = forms.CharField(label=_("Baseline"), max_length=20, required=False)
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source of verification"), max_length=200, required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    owner = forms.CharField(label=_("Responsible"), max_length=120, required=False)
    fact = forms.ChoiceField(label=_("What is counted"), required=False)
    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=[(m.value, m.label) for m in Measure if m != Measure.RATIO],
        required=False,
    )
    field = forms.CharField(label=_("Field summed"), max_length=60, required=False)
    as_ratio = forms.BooleanField(
        label=_("Show as a % of the records above (ratio)"), required=False
    )
    disaggregations = forms.MultipleChoiceField(
        label=_("Allowed disaggregations"),
        choices=list(DIMENSIONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, project, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and (not args or args[0] is None):
            kwargs.setdefault("initial", self._initial(instance))
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(project=project)
        self.fields["fact"].choices = [("", "—")] + [(f.code, f.label) for f in all_facts()]
        ops = list(OPERATORS.items())
        for side in ("f", "n"):
            for i in range(FILTER_ROWS):
                self.fields[f"{side}{i}_field"] = forms.ChoiceField(
                    label=_("Field"), choices=_field_choices(), required=False
                )
                self.fields[f"{side}{i}_op"] = forms.ChoiceField(
                    label=_("Comparison"), choices=ops, required=False
                )
                self.fields[f"{side}{i}_value"] = forms.CharField(
                    label=_("Value"), max_length=120, required=False
                )

    @staticmethod
    def _initial(ind) -> dict:
        initial = {
            name: getattr(ind, name)
            for name in (
                "code",
                "name_fr",
                "name_en",
                "definition",
                "type",
                "kind",
                "unit",
                "baseline_date",
                "source",
                "frequency",
                "owner",
                "order",
                "is_active",
                "disaggregations",
            )
        }
        initial["objective"] = ind.objective_id
        initial["baseline_value"] = "" if ind.baseline_value is None else str(ind.baseline_value)
        base, extra = ind.definition_dict(), []
        if ind.is_ratio:
            den, num = ind.denominator or {}, ind.numerator or {}
            base = den
            extra = [f for f in num.get("filters", []) if f not in den.get("filters", [])]
            initial["as_ratio"] = True
        initial.update(
            fact=base.get("fact", ""),
            measure=base.get("measure", "count"),
            field=base.get("field", ""),
        )
        for side, rows in (("f", base.get("filters", [])), ("n", extra)):
            for i, row in enumerate(rows[:FILTER_ROWS]):
                value = row.get("value")
                fact = base.get("fact", "")
                initial[f"{side}{i}_field"] = f"{fact}:{row.get('field')}"
                initial[f"{side}{i}_op"] = row.get("op", "eq")
                initial[f"{side}{i}_value"] = (
                    ", ".join(map(str, value))
                    if isinstance(value, list)
                    else str(value).lower()
                    if isinstance(value, bool)
                    else str(value)
                )
        return initial

    def _rows(self, side) -> list[dict]:
        rows = []
        for i in range(FILTER_ROWS):
            chosen = self.cleaned_data.get(f"{side}{i}_field") or ""
            if not chosen:
                continue
            _fact, _sep, name = chosen.partition(":")
            op = self.cleaned_data.get(f"{side}{i}_op") or "eq"
            rows.append(
                {
                    "field": name,
                    "op": op,
                    "value": _filter_value(self.cleaned_data.get(f"{side}{i}_value") or "", op),
                }
            )
        return rows

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        base = {
            "fact": data.get("fact") or "",
            "measure": data.get("measure") or "count",
            "field": data.get("field") or "",
            "filters": self._rows("f"),
        }
        if data.get("as_ratio"):
            numerator = {**base, "filters": base["filters"] + self._rows("n")}
            data.update(
                fact="",
                measure="ratio",
                field="",
                filters=[],
                numerator=numerator,
                denominator=base,
            )
        else:
            data.update(base, numerator={}, denominator={})
        return data

    def filter_rows(self, side):
        return [
            (self[f"{side}{i}_field"], self[f"{side}{i}_op"], self[f"{side}{i}_value"])
            for i in range(FILTER_ROWS)
        ]

    @property
    def base_filters(self):
        return self.filter_rows("f")

    @property
    def numerator_filters(self):
        return self.filter_rows("n")


class MappingForm(forms.Form):
    data_element = forms.CharField(label=_("DHIS2 data element"), max_length=40, required=False)
    category_option_combo = forms.CharField(
        label=_("DHIS2 category option combo"), max_length=40, required=False
    )
    org_unit = forms.CharField(
        label=_("Organisation unit (if not the project's)"), max_length=40, required=False
    )
    hxl_tags = forms.CharField(label=_("HXL attributes"), max_length=120, required=False)

    def __init__(self, indicator, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from parcours.meal.definitions import offered_dimensions

        self.dimensions = (
            offered_dimensions(indicator.definition_dict(), indicator.disaggregations or None)
            if indicator.is_computed
            else ()
        )
        for dimension in self.dimensions:
            self.fields[f"dim_{dimension}"] = forms.CharField(
                label=DIMENSIONS[dimension], max_length=40, required=False
            )

    def disaggregation(self) -> dict:
        return {
            d: self.cleaned_data[f"dim_{d}"].strip()
            for d in self.dimensions
            if self.cleaned_data.get(f"dim_{d}", "").strip()
        }

    def error_text(self) -> str:
        return " ".join(m for ms in self.errors.values() for m in ms)


class ProjectMappingForm(forms.ModelForm):
    class Meta:
        model = ProjectMapping
        fields = ["org_unit", "dataset", "hxl_org", "hxl_adm1"]
