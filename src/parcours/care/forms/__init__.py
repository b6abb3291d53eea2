"""Encounter forms of every discipline: typed fields in, the service's dicts out.

The forms check only what a browser can get wrong (a number that is not a
number, a choice that is not offered); every rule about the content lives in
parcours.care.validation and comes back from the service as field errors.
Each form describes its own layout (main fields, collapsible sections) so
that one template renders all disciplines.
"""

from django.utils.translation import gettext_lazy as _

from parcours.care.choices import TALLY_DISCIPLINES, Discipline
from parcours.care.forms.activity import DayCentreForm, OutreachForm, ShelterForm
from parcours.care.forms.base import TALLY_GROUPS, EncounterForm
from parcours.care.forms.legal import LegalForm
from parcours.care.forms.medical import MedicalForm
from parcours.care.forms.mental_health import MentalHealthForm
from parcours.care.forms.social import SocialForm
from parcours.care.forms.sv_incident import SVIncidentForm

__all__ = ["FORMS", "NEW_LABELS", "TALLY_GROUPS"]

# What the buttons say, per discipline.
NEW_LABELS = {
    Discipline.MEDICAL: _("New medical consultation"),
    Discipline.MENTAL_HEALTH: _("New mental-health session"),
    Discipline.SOCIAL: _("New social interview"),
    Discipline.LEGAL_PROTECTION: _("New legal / protection consultation"),
    Discipline.SV_INCIDENT: _("Record a sexual-violence incident"),
    Discipline.OUTREACH: _("Record an outreach round"),
    Discipline.SHELTER: _("Record a shelter stay"),
    Discipline.DAY_CENTRE: _("Record a day-centre attendance"),
}


FORMS: dict[str, type[EncounterForm]] = {
    Discipline.MEDICAL: MedicalForm,
    Discipline.MENTAL_HEALTH: MentalHealthForm,
    Discipline.SOCIAL: SocialForm,
    Discipline.LEGAL_PROTECTION: LegalForm,
    Discipline.SV_INCIDENT: SVIncidentForm,
    Discipline.OUTREACH: OutreachForm,
    Discipline.SHELTER: ShelterForm,
    Discipline.DAY_CENTRE: DayCentreForm,
}
# A discipline without a form, or a tally discipline without a grid, is a bug.
assert set(FORMS) == set(Discipline)
assert {d for d, f in FORMS.items() if f.has_tallies} >= TALLY_DISCIPLINES
