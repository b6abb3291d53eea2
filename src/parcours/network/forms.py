"""Forms of the directory and the referrals. They only read what is typed;
the checks are the services' (network.validation, network.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import CATEGORY_LABELS
from parcours.lib.forms import DateTimeLocalInput
from parcours.network.choices import (
    REFERRAL_CATEGORIES,
    WEEKDAY_LABELS,
    WEEKDAYS,
    Eligibility,
    ReferralKind,
    ReferralStatus,
    ServiceType,
)
from parcours.network.hours import day_text

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    type = forms.ChoiceField(label=_("Type"), choices=ServiceType.choices)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    latitude = forms.CharField(
        label=_("Latitude"), required=False, help_text=_("Between -90 and 90, e.g. 50.95123")
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, help_text=_("Between -180 and 180, e.g. 1.85861")
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("ISO 639 codes separated by commas, e.g. fr, en, ar"),
    )
    eligibility = forms.MultipleChoiceField(
        label=_("Who is eligible"),
        choices=Eligibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=160, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    last_verified_on = forms.CharField(
        label=_("Last verified on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=WEEKDAY_LABELS[day],
                required=False,
                help_text=_("e.g. 09:00-12:00, 14:00-17:30; empty: closed"),
            )

    @classmethod
    def initial_for(cls, service) -> dict:
        initial = {
            name: getattr(service, name)
            for name in (
                "name",
                "type",
                "address",
                "city",
                "phone",
                "email",
                "website",
                "contact",
                "notes",
                "is_active",
                "version",
            )
        }
        initial["latitude"] = "" if service.latitude is None else str(service.latitude)
        initial["longitude"] = "" if service.longitude is None else str(service.longitude)
        initial["languages"] = ", ".join(service.languages)
        initial["eligibility"] = service.eligibility
        initial["last_verified_on"] = (
            service.last_verified_on.isoformat() if service.last_verified_on else ""
        )
        for day in WEEKDAYS:
            initial[f"hours_{day}"] = day_text(service.opening_hours, day)
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["opening_hours"] = {day: data.pop(f"hours_{day}", "") for day in WEEKDAYS}
        return data

    def hour_fields(self):
        return [self[f"hours_{day}"] for day in WEEKDAYS]


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ServiceType.choices]
    )
    city = forms.CharField(label=_("City"), required=False)
    eligibility = forms.ChoiceField(
        label=_("Eligible"), required=False, choices=[("", _("Anyone")), *Eligibility.choices]
    )
    language = forms.CharField(label=_("Language (code)"), required=False, max_length=3)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    stale = forms.BooleanField(label=_("To verify (6 months and more)"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or GeoJSON file"))


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReferralKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Referring discipline"), required=False)
    to_discipline = forms.ChoiceField(label=_("To the discipline"), required=False)
    to_user = forms.ChoiceField(label=_("To the colleague"), required=False)
    service = forms.ChoiceField(label=_("Service of the directory"), required=False)
    organisation = forms.CharField(
        label=_("Or another organisation"), max_length=160, required=False
    )
    categories = forms.MultipleChoiceField(
        label=_("Shared with the organisation, beyond identity"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Minimum necessary: share only what the service needs."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        help_text=_("Always in the letter: write only what the receiving side needs."),
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE)
    planned_for = forms.DateTimeField(
        label=_("Planned for"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("When the person will go: checked against the opening hours."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, disciplines, colleagues, services, shareable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c, CATEGORY_LABELS[c]) for c in disciplines]
        self.fields["to_discipline"].choices = [("", "—")] + [
            (c.value, CATEGORY_LABELS[c]) for c in REFERRAL_CATEGORIES
        ]
        self.fields["to_user"].choices = [("", "—")] + colleagues
        self.fields["service"].choices = [("", "—")] + services
        self.fields["categories"].choices = [(c.value, CATEGORY_LABELS[c]) for c in shareable]

    def referral_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm", None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", "—"), *ReferralStatus.choices]
    )
    on = forms.DateField(label=_("On"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
