"""Sexual-violence incidents (GBVIMS)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import EncounterForm
from parcours.care.forms.fields import choice, number, several
from parcours.people.forms import DateInput


class SVIncidentForm(EncounterForm):
    discipline = Discipline.SV_INCIDENT
    details_relation = "sv_incident"
    main = (
        "gbv_type",
        "incident_date",
        "hours_to_care",
        "location",
        "perpetrator_type",
        "services_received",
        "consent_anonymous_reporting",
    )
    sections = (("narrative", _("Account of the incident"), ("narrative",)),)
    confidential_help = _("Seen only by the care team assigned to this person and the referents.")

    gbv_type = choice(_("Type of incident (GBVIMS)"), c.GBVType.choices, radio=True, required=True)
    incident_date = forms.DateField(
        label=_("Date of the incident"), required=False, widget=DateInput()
    )
    hours_to_care = number("hours_to_care", _("Hours between incident and care"))
    location = choice(_("Where it happened"), c.IncidentLocation.choices)
    perpetrator_type = choice(_("Perpetrator"), c.PerpetratorType.choices)
    services_received = several(_("Services received"), c.GBV_SERVICES)
    narrative = forms.CharField(
        label=_("Account of the incident"),
        required=False,
        max_length=20000,
        help_text=_("In the person's words, only if useful for their care. Stored encrypted."),
        widget=forms.Textarea(attrs={"rows": 6, "class": "confidential-input"}),
    )
    consent_anonymous_reporting = forms.BooleanField(
        label=_("The person consents to anonymous reporting (GBVIMS statistics)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Incidents are never shared as team notes: no field that suggests otherwise.
        self.fields.pop("team_note")
