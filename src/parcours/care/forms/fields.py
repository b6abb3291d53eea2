"""The small fields and widgets the encounter forms are built from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care.validation import RANGES

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("", _("Unknown / not asked"))]


class CodeListField(forms.Field):
    """A list of codes posted under one name (ICD-10 diagnoses)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(str(v).strip().upper() for v in value if str(v).strip()))


class YesNoUnknownField(forms.TypedChoiceField):
    """Yes / no / unknown radio buttons → True / False / None."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO_UNKNOWN,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            initial="",
            widget=forms.RadioSelect,
            **kwargs,
        )


def yes_no_unknown(label) -> YesNoUnknownField:
    return YesNoUnknownField(label=label)


def number(name: str, label, *, decimal: bool = False):
    """A number input; its range is checked by the service, the browser only hints."""
    low, high = RANGES[name]
    attrs = {"min": low, "max": high, "inputmode": "decimal" if decimal else "numeric"}
    if decimal:
        return forms.DecimalField(
            label=label,
            required=False,
            decimal_places=1,
            widget=forms.NumberInput(attrs={**attrs, "step": "0.1"}),
        )
    return forms.IntegerField(label=label, required=False, widget=forms.NumberInput(attrs=attrs))


def choice(label, choices, *, blank=None, radio: bool = False, required: bool = False, **kw):
    options = list(choices)
    if blank is not None and not any(value == "" for value, _label in options):
        options = [("", blank), *options]
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        widget=forms.RadioSelect if radio else forms.Select,
        **kw,
    )


def several(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def text(label, max_length: int, **kw) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kw)
