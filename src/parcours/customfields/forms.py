"""The custom fields of a form as Django form fields, and the definition form.

Every custom field is optional for Django: what is required, shown (the
relevance condition) and valid is decided by ``validation.clean_values``,
the same function the API and the imports use.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.customfields.models import CustomField, FieldType
from parcours.customfields.validation import NO, YES, clean_values


def _form_field(field: CustomField, *, required_marker: bool):
    label = field.label + (" *" if required_marker else "")
    common = {"label": label, "required": False, "help_text": field.help}
    kind = FieldType(field.type)
    if kind == FieldType.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == FieldType.INTEGER:
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "1"}), **common)
    if kind == FieldType.DECIMAL:
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    if kind == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldType.YES_NO:
        return forms.ChoiceField(
            choices=[("", "—"), (YES, _("yes")), (NO, _("no"))],
            widget=forms.RadioSelect,
            **common,
        )
    choices = [(c.code, c.label) for c in field.choices.all() if not c.retired]
    if kind == FieldType.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if kind == FieldType.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=200, **common)


def initial_value(field: CustomField, value):
    if value is None:
        return None
    if field.type == FieldType.YES_NO:
        return YES if value else NO
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return format(value, "f") if not isinstance(value, int) else str(value)
    if field.type == FieldType.DATE:
        return value.isoformat()
    return value


class ValuesForm(forms.Form):
    """The custom fields of one project's form (prefix ``cf<project id>``)."""

    def __init__(self, data=None, *, fields, prefix, values=None, record_created_at=None):
        initial = {}
        for field in fields:
            if values and field.pk in values:
                initial[field.code] = initial_value(field, values[field.pk])
        super().__init__(data, prefix=prefix, initial=initial)
        self.custom_fields = list(fields)
        self.record_created_at = record_created_at
        self.values: dict = {}
        for field in self.custom_fields:
            since = field.required_since
            asked = field.required and (
                record_created_at is None or since is None or record_created_at >= since
            )
            self.fields[field.code] = _form_field(field, required_marker=asked)
            bound = self.fields[field.code]
            bound.custom = field
            if field.relevant_field_id:
                # The page may show the field progressively (customfields.js);
                # the server decides anyway.
                bound.widget.attrs["data-relevant-on"] = (
                    f"{prefix}-{field.relevant_field.code}" if field.relevant_field else ""
                )
                bound.widget.attrs["data-relevant-values"] = " ".join(field.relevant_values)

    def sections(self) -> list[dict]:
        out: list[dict] = []
        for field in self.custom_fields:
            if not out or out[-1]["title"] != field.section:
                out.append({"title": field.section, "fields": []})
            out[-1]["fields"].append(self[field.code])
        return out

    def clean(self):
        cleaned = super().clean()
        raw = {}
        for field in self.custom_fields:
            value = cleaned.get(field.code)
            raw[field.code] = value if value not in ("", None) else None
        self.values, errors = clean_values(
            self.custom_fields, raw, record_created_at=self.record_created_at
        )
        for code, messages in errors.items():
            for message in messages:
                self.add_error(code, message)
        return cleaned


CATEGORY_CHOICES = [(c.value, CATEGORY_LABELS[c]) for c in Category]


class DefinitionForm(forms.Form):
    code = forms.CharField(label=_l("Code"), max_length=40)
    type = forms.ChoiceField(label=_l("Type"), choices=FieldType.choices)
    label_fr = forms.CharField(label=_l("Label (French)"), max_length=200, required=False)
    label_en = forms.CharField(label=_l("Label (English)"), max_length=200, required=False)
    help_fr = forms.CharField(label=_l("Help (French)"), max_length=300, required=False)
    help_en = forms.CharField(label=_l("Help (English)"), max_length=300, required=False)
    section = forms.CharField(label=_l("Section"), max_length=100, required=False)
    category = forms.ChoiceField(label=_l("Who sees it (category)"), choices=CATEGORY_CHOICES)
    required = forms.BooleanField(label=_l("Required"), required=False)
    min_value = forms.DecimalField(
        label=_l("Minimum"), required=False, max_digits=14, decimal_places=4
    )
    max_value = forms.DecimalField(
        label=_l("Maximum"), required=False, max_digits=14, decimal_places=4
    )
    relevant_field = forms.ChoiceField(label=_l("Shown only if"), required=False)
    relevant_values = forms.CharField(
        label=_l("has one of the values (codes, separated by commas)"),
        required=False,
        max_length=300,
    )
    choices = forms.CharField(
        label=_l("Choices, one a line: code | French label | English label"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {str(f.pk): f for f in others}
        self.fields["relevant_field"].choices = [("", "—")] + [
            (str(f.pk), f"{f.code} · {f.label}")
            for f in others
            if f.type in (FieldType.YES_NO, FieldType.SINGLE, FieldType.MULTIPLE)
        ]

    def clean_code(self):
        return self.cleaned_data["code"].strip().lower()

    def service_data(self) -> tuple[dict, list[dict]]:
        data = dict(self.cleaned_data)
        choices_text = data.pop("choices", "")
        data["relevant_field"] = self.others.get(data.get("relevant_field") or "")
        data["relevant_values"] = [
            v.strip() for v in (data.get("relevant_values") or "").split(",") if v.strip()
        ]
        choices = []
        for line in choices_text.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (3 - len(parts))
            choices.append({"code": parts[0], "label_fr": parts[1], "label_en": parts[2]})
        return data, choices

    @staticmethod
    def initial_for(field: CustomField) -> dict:
        return {
            "code": field.code,
            "type": field.type,
            "label_fr": field.label_fr,
            "label_en": field.label_en,
            "help_fr": field.help_fr,
            "help_en": field.help_en,
            "section": field.section,
            "category": field.category,
            "required": field.required,
            "min_value": field.min_value,
            "max_value": field.max_value,
            "relevant_field": str(field.relevant_field_id or ""),
            "relevant_values": ", ".join(field.relevant_values or []),
            "choices": "\n".join(
                f"{c.code} | {c.label_fr} | {c.label_en}"
                for c in field.choices.all()
                if not c.retired
            ),
        }
