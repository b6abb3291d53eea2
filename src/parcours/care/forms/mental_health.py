"""Mental-health sessions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import EncounterForm
from parcours.care.forms.fields import choice, several, text

CGI_SEVERITY = [
    ("", "—"),
    (1, _("1 · Normal, not at all ill")),
    (2, _("2 · Borderline mentally ill")),
    (3, _("3 · Mildly ill")),
    (4, _("4 · Moderately ill")),
    (5, _("5 · Markedly ill")),
    (6, _("6 · Severely ill")),
    (7, _("7 · Among the most extremely ill")),
]
CGI_IMPROVEMENT = [
    ("", "—"),
    (1, _("1 · Very much improved")),
    (2, _("2 · Much improved")),
    (3, _("3 · Minimally improved")),
    (4, _("4 · No change")),
    (5, _("5 · Minimally worse")),
    (6, _("6 · Much worse")),
    (7, _("7 · Very much worse")),
]


class MentalHealthForm(EncounterForm):
    discipline = Discipline.MENTAL_HEALTH
    details_relation = "mental_health"
    main = (
        "session_type",
        "symptoms",
        "precipitating_events",
        "cgi_severity",
        "cgi_improvement",
        "risk_level",
    )
    sections = (("closure", _("Closure of the follow-up"), ("closes_follow_up", "closure_reason")),)

    session_type = choice(
        _("Session"),
        c.SessionType.choices,
        radio=True,
        required=True,
        initial=c.SessionType.INDIVIDUAL,
    )
    symptoms = several(_("Symptoms"), c.MH_SYMPTOMS)
    precipitating_events = several(_("Precipitating events"), c.MH_EVENTS)
    cgi_severity = forms.TypedChoiceField(
        label=_("CGI – severity"),
        choices=CGI_SEVERITY,
        coerce=int,
        empty_value=None,
        required=False,
    )
    cgi_improvement = forms.TypedChoiceField(
        label=_("CGI – improvement since the first session"),
        choices=CGI_IMPROVEMENT,
        coerce=int,
        empty_value=None,
        required=False,
    )
    risk_level = choice(
        _("Risk assessment (self-harm, suicide)"),
        c.RiskLevel.choices,
        blank=_("Not assessed"),
        radio=True,
        initial="",
    )
    closes_follow_up = forms.BooleanField(
        label=_("Last session: the follow-up is closed"), required=False
    )
    closure_reason = text(_("Closure reason"), 120)
