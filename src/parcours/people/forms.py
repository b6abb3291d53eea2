from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from parcours.lib.languages import COMMON_LANGUAGES, language_name
from parcours.people.ages import AGE_GROUP_CHOICES
from parcours.people.models import (
    DatePrecision,
    ExitReason,
    Flag,
    Group,
    GroupMember,
    MinorityAppeal,
    Sex,
)


def _language_choices():
    return [(code, f"{language_name(code)} ({code})") for code in COMMON_LANGUAGES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    name_original = forms.CharField(
        label=_("Name in original script"),
        max_length=200,
        required=False,
        help_text=_("As the person writes it, e.g. محمد or ኣማኑኤል."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    aliases = forms.CharField(
        label=_("Other names and spellings"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_date_precision = forms.ChoiceField(
        label=_("The date of birth is"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DECLARED,
    )
    minority_appeal = forms.ChoiceField(
        label=_("Minority-recognition appeal"), choices=MinorityAppeal.choices, required=False
    )
    assessed_age = forms.IntegerField(
        label=_("Age assessed by the authorities"), required=False, min_value=0, max_value=110
    )
    assessed_on = forms.DateField(label=_("Assessment date"), required=False, widget=DateInput())
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_languages = forms.CharField(
        label=_("Other languages (ISO 639 codes)"),
        required=False,
        help_text=_("Separated by commas, e.g. “tig, byn”."),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    contact_notes = forms.CharField(label=_("How to reach"), max_length=255, required=False)

    def __init__(self, *args, show_contact: bool = True, flags=(), **kwargs):
        """``flags``: the vulnerability flags the user may record (decided by
        parcours.access); the others are neither offered nor shown."""
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—")] + list(countries)
        self.fields["languages"].choices = _language_choices()
        self.fields["flags"].choices = [(f, label) for f, label in Flag.choices if f in flags]
        if "flags" in self.initial:
            self.initial["flags"] = [f for f in self.initial["flags"] if f in flags]
        if not flags:
            del self.fields["flags"]
        if not show_contact:
            del self.fields["phone"]
            del self.fields["contact_notes"]

    def service_data(self) -> dict:
        """The cleaned form as the services expect it."""
        data = dict(self.cleaned_data)
        extra = [c.strip().lower() for c in data.pop("other_languages", "").split(",") if c.strip()]
        data["languages"] = list(data.get("languages", [])) + extra
        data["aliases"] = [
            line.strip() for line in data.get("aliases", "").splitlines() if line.strip()
        ]
        data["minority_appeal"] = data.get("minority_appeal") or ""
        return data

    @classmethod
    def initial_for(cls, person) -> dict:
        common = set(COMMON_LANGUAGES)
        return {
            **{
                f: getattr(person, f)
                for f in (
                    "given_name",
                    "family_name",
                    "name_original",
                    "sex",
                    "birth_date",
                    "birth_date_precision",
                    "minority_appeal",
                    "assessed_age",
                    "assessed_on",
                    "interpreter_needed",
                    "phone",
                    "contact_notes",
                )
            },
            "nationality": str(person.nationality or ""),
            "languages": [c for c in person.languages if c in common],
            "other_languages": ", ".join(c for c in person.languages if c not in common),
            "aliases": "\n".join(person.aliases.values_list("name", flat=True)),
            "flags": list(person.flags.values_list("flag", flat=True)),
        }


class PersonCreateForm(PersonForm):
    project = forms.ChoiceField(label=_("Project"))
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is not one of the persons above"), required=False
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]
        self.order_fields(["project"])


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "dir": "auto",
                "placeholder": _("Name in any spelling or script, or code"),
                "autocomplete": "off",
            }
        ),
    )
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None
    )
    active = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[
            ("yes", _("Active list")),
            ("no", _("Left the active list")),
            ("all", _("Everyone")),
        ],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("All"))] + list(Sex.choices)
    )
    age_group = forms.ChoiceField(
        label=_("Age group"), required=False, choices=[("", _("All"))] + AGE_GROUP_CHOICES
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    flag = forms.ChoiceField(label=_("Vulnerability"), required=False)

    def __init__(self, *args, projects=(), flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("All my projects"))] + [
            (p.pk, str(p)) for p in projects
        ]
        self.fields["nationality"].choices = [("", _("All"))] + list(countries)
        self.fields["flag"].choices = [("", _("All"))] + [
            (f, label) for f, label in Flag.choices if f in flags
        ]


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Exit date"), widget=DateInput(), initial=date.today)
    exit_reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—")] + list(ExitReason.choices)
    )
    exit_note = forms.CharField(label=_("Note"), max_length=255, required=False)


class MergeForm(forms.Form):
    duplicate_code = forms.CharField(
        label=_("Code of the duplicate record"),
        max_length=16,
        help_text=_(
            "The duplicate is folded into this record; the merge can be undone from the history."
        ),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the family or group"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Group.Kind.choices)
    relation = forms.ChoiceField(label=_("This person is"), choices=GroupMember.Relation.choices)


class GroupMemberForm(forms.Form):
    code = forms.CharField(label=_("Code of the person to add"), max_length=16)
    relation = forms.ChoiceField(label=_("Relation"), choices=GroupMember.Relation.choices)
