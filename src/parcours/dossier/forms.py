from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.models import (
    SHAREABLE_CATEGORIES,
    ConsentKind,
    ConsentMethod,
    ConsentStatus,
)
from parcours.access.services import MIN_REASON_LENGTH
from parcours.access.terms import CATEGORY_LABELS
from parcours.lib.forms import DATETIME_LOCAL, DateTimeLocalInput
from parcours.lib.languages import COMMON_LANGUAGES, language_code, language_name


def consent_subjects() -> list[tuple[str, str, str, str]]:
    """(value, label, kind, category) of everything a consent can be about, in
    the order the registry shows them. Team sharing is one subject per category."""
    subjects = []
    for kind in ConsentKind:
        if kind == ConsentKind.TEAM_SHARING:
            for category in SHAREABLE_CATEGORIES:
                label = _("Team sharing: %(category)s") % {"category": CATEGORY_LABELS[category]}
                subjects.append((f"{kind.value}:{category.value}", label, kind.value, category))
        else:
            subjects.append((kind.value, kind.label, kind.value, ""))
    return subjects


def split_subject(value: str) -> tuple[str, str]:
    kind, _sep, category = value.partition(":")
    return kind, category


def language_suggestions(first: list[str] = ()) -> list[str]:
    """The datalist of the language field: the person's languages, then the
    languages most spoken on the routes."""
    codes = list(dict.fromkeys([*first, *COMMON_LANGUAGES]))
    return [f"{name} ({code})" for code in codes if (name := language_name(code))]


class ConsentForm(forms.Form):
    subject = forms.ChoiceField(label=_("Consent to"))
    status = forms.ChoiceField(
        label=_("Decision"), choices=ConsentStatus.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.ORAL_INTERPRETER,
        widget=forms.RadioSelect,
    )
    language = forms.CharField(
        label=_("Language used"),
        max_length=80,
        required=False,
        help_text=_("Type to search, e.g. “Tigrinya”, or an ISO 639 code."),
        widget=forms.TextInput(attrs={"list": "consent-languages", "autocomplete": "off"}),
    )
    scope = forms.CharField(
        label=_("About (external referral)"),
        max_length=120,
        required=False,
        help_text=_("The partner or service the person agreed to be referred to."),
    )
    decided_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeLocalInput(),
        help_text=_("Now, unless the decision was taken earlier."),
    )
    backdate_reason = forms.CharField(
        label=_("Reason for an earlier date"),
        max_length=255,
        required=False,
        help_text=_("Only to correct a decision dated before the person's first record."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, offered: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        subjects = consent_subjects()
        # Every known subject validates (the service then says whether this
        # user may record it); only those the user may record are offered.
        self.fields["subject"].choices = [(v, label) for v, label, _k, _c in subjects]
        self.fields["subject"].widget.choices = [("", "—")] + [
            (v, label) for v, label, _k, _c in subjects if v in offered
        ]
        if not self.is_bound and "decided_at" not in self.initial:
            self.initial["decided_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean_language(self) -> str:
        value = self.cleaned_data.get("language", "").strip()
        if not value:
            return ""
        code = language_code(value)
        if code is None:
            raise forms.ValidationError(
                _("Unknown language “%(value)s”: pick one from the list or type its ISO 639 code."),
                params={"value": value},
            )
        return code

    def service_data(self) -> dict:
        data = self.cleaned_data
        kind, category = split_subject(data["subject"])
        return {
            "kind": kind,
            "category": category,
            "status": data["status"],
            "method": data["method"],
            "language": data["language"],
            "scope": data["scope"] if kind == ConsentKind.EXTERNAL_REFERRAL else "",
            "note": data["note"],
            "decided_at": data["decided_at"],
            "backdate_reason": data["backdate_reason"],
        }


class CareAssignForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Staff member"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [(c["id"], c["label"]) for c in candidates]


class BreakGlassForm(forms.Form):
    code = forms.CharField(
        label=_("Person code"),
        max_length=16,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why you need this record now"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "At least %(n)d characters. The referent of the person's project reads it."
        ) % {"n": MIN_REASON_LENGTH}

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("code") or "").strip():
            self.add_error("code", _("Give the code of the person."))
        return data


class BreakGlassReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Optional")}),
    )
