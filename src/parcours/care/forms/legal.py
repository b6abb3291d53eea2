"""Legal / protection consultations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import EncounterForm
from parcours.care.forms.fields import choice, several, text
from parcours.people.forms import DateInput


class LegalForm(EncounterForm):
    discipline = Discipline.LEGAL_PROTECTION
    details_relation = "legal"
    main = ("procedure", "actions", "decision", "decision_date")
    sections = (
        (
            "violence",
            _("Violence documentation (for advocacy)"),
            ("violence_types", "perpetrator_type", "violence_place", "violence_date"),
        ),
    )

    procedure = choice(_("Procedure"), c.Procedure.choices, blank="—")
    actions = several(_("Actions"), c.LEGAL_ACTIONS)
    decision = choice(_("Decision"), c.Decision.choices)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    violence_types = several(_("Violence documented"), c.VIOLENCE_TYPES)
    perpetrator_type = choice(_("Perpetrator"), c.PerpetratorType.choices)
    violence_place = text(_("Where"), 120)
    violence_date = forms.DateField(label=_("When"), required=False, widget=DateInput())
