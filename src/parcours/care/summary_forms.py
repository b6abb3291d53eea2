"""Forms of the clinical summary's items: typed fields in, plain dicts out.

They check only what a browser can get wrong (a date that is not a date);
every rule on the content (a substance named, a treatment not ending before
it starts) lives in care.summary_validation and comes back from the service
as field errors. The view hands them plain values, never the user.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care.models import PregnancyStatus, Severity
from parcours.care.summary_validation import FIELDS
from parcours.people.forms import DateInput


def _text(label, max_length: int, **kw) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kw)


def _date(label, **kw) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(), **kw)


class SummaryItemForm(forms.Form):
    kind = ""
    title = ""
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIELDS[self.kind]}


class AllergyForm(SummaryItemForm):
    kind = "allergy"
    title = _("Allergy")
    substance = _text(_("Substance"), 120)
    reaction = _text(_("Reaction"), 255)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    ended_on = _date(_("No longer relevant since"))


class ConditionForm(SummaryItemForm):
    kind = "condition"
    title = _("Chronic condition")
    icd10 = _text(_("ICD-10 code"), 8, help_text=_("E.g. E11 (type 2 diabetes), I10."))
    since = _date(_("Since"))
    note = _text(_("Note"), 255)
    resolved_on = _date(_("Resolved on"))


class TreatmentForm(SummaryItemForm):
    kind = "treatment"
    title = _("Treatment")
    name = _text(_("Treatment"), 255)
    dose = _text(_("Dose"), 120, help_text=_("E.g. 500 mg twice a day."))
    since = _date(_("Since"))
    until = _date(_("Until"), help_text=_("Empty: taken until further notice."))


class VaccinationForm(SummaryItemForm):
    kind = "vaccination"
    title = _("Vaccination")
    vaccine = _text(_("Vaccine"), 120)
    given_on = _date(_("Date given"))
    note = _text(_("Note"), 255, help_text=_("E.g. dose number, batch."))


class PregnancyForm(SummaryItemForm):
    kind = "pregnancy"
    title = _("Pregnancy")
    status = forms.ChoiceField(
        label=_("Pregnancy"),
        choices=PregnancyStatus.choices,
        widget=forms.RadioSelect,
        initial=PregnancyStatus.UNKNOWN,
    )
    due_date = _date(_("Estimated due date"))


FORMS = {
    form.kind: form
    for form in (AllergyForm, ConditionForm, TreatmentForm, VaccinationForm, PregnancyForm)
}
