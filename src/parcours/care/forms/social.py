"""Social interviews."""

from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import EncounterForm
from parcours.care.forms.fields import choice, several, text


class SocialForm(EncounterForm):
    discipline = Discipline.SOCIAL
    details_relation = "social"
    main = ("needs", "health_coverage", "actions", "outcome")

    needs = several(_("Needs assessed"), c.SOCIAL_NEEDS)
    health_coverage = choice(_("Health coverage"), c.HealthCoverage.choices)
    actions = several(_("Actions"), c.SOCIAL_ACTIONS)
    outcome = text(_("Outcome"), 255)
