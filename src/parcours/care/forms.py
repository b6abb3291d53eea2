"""Encounter forms of every discipline: typed fields in, the service's dicts out.

The forms check only what a browser can get wrong (a number that is not a
number, a choice that is not offered); every rule about the content lives in
parcours.care.validation and comes back from the service as field errors.
Each form describes its own layout (main fields, collapsible sections) so
that one template renders all disciplines.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from parcours.access.policy import Action
from parcours.access.scope import persons_visible_to, project_ids_for
from parcours.care import choices as c
from parcours.care.choices import DISCIPLINE_CATEGORY, TALLY_DISCIPLINES, Discipline
from parcours.care.icd10 import icd10_label
from parcours.care.validation import RANGES
from parcours.org.models import Site, Status
from parcours.people.ages import AGE_GROUPS
from parcours.people.forms import COMMON_LANGUAGES, DateInput
from parcours.people.models import Enrolment
from parcours.people.validation import language_name

COMMON_FIELDS = (
    "occurred_at",
    "interpreter_mode",
    "interpreter_language",
    "team_note",
    "confidential_note",
    "follow_up_on",
)
PLACEMENT_FIELDS = ("site", "activity")
TALLY_GROUPS = [(code, label) for code, label, _lo, _hi in AGE_GROUPS] + [
    ("unknown", _("Age unknown"))
]
TALLY_PREFIX = "tally"

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("", _("Unknown / not asked"))]
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


# --- where an encounter may be recorded -------------------------------------


def sites_for(user, discipline: str) -> list[Site]:
    """Sites in use, in open projects, where the user may record this discipline."""
    category = DISCIPLINE_CATEGORY[Discipline(discipline)]
    project_ids = project_ids_for(user, category, Action.CREATE)
    if not project_ids:
        return []
    return list(
        Site.objects.filter(project_id__in=project_ids, is_active=True, project__status=Status.OPEN)
        .select_related("project")
        .prefetch_related("activity_types")
        .order_by("project__name", "name", "id")
    )


def open_sites_exist(project_ids: frozenset[int]) -> bool:
    return Site.objects.filter(
        project_id__in=project_ids, is_active=True, project__status=Status.OPEN
    ).exists()


# --- fields --------------------------------------------------------------------


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


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


def _language_options() -> list[tuple[str, str]]:
    return [(code, language_name(code) or code) for code in COMMON_LANGUAGES]


def language_display(code: str) -> str:
    """ "Tigrinya (ti)": what the language input shows and accepts back."""
    name = language_name(code) if code else None
    return f"{name} ({code})" if name else (code or "")


def _language_code(value: str) -> str:
    """Accept a code, a name of a common language, or "Name (code)" from the list."""
    value = (value or "").strip()
    if value.endswith(")") and "(" in value:
        value = value.rsplit("(", 1)[1].rstrip(")")
    lowered = value.lower()
    for code, name in _language_options():
        if lowered == name.lower():
            return code
    return lowered


# --- the forms ------------------------------------------------------------------


class EncounterForm(forms.Form):
    """What every encounter has; subclasses add their discipline's fields."""

    discipline: str = ""
    # Layout: fields always shown, then collapsible sections (key, title, fields).
    main: tuple[str, ...] = ()
    sections: tuple[tuple[str, object, tuple[str, ...]], ...] = ()
    has_tallies = False
    team_note_help = _(
        "Shared with the other disciplines of the care team only if the person consented to "
        "team sharing for this category. Write only what they need to know."
    )
    confidential_help = _("Seen only by your discipline. Never shared with the rest of the team.")

    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    activity = forms.TypedChoiceField(
        label=_("Activity"), coerce=int, required=False, empty_value=None
    )
    interpreter_mode = choice(
        _("Interpreter"), c.InterpreterMode.choices, radio=True, initial=c.InterpreterMode.NONE
    )
    interpreter_language = forms.CharField(
        label=_("Interpreting language"),
        required=False,
        max_length=60,
        help_text=_("Type to search, or an ISO 639 code (e.g. ti, prs)."),
        widget=forms.TextInput(attrs={"list": "languages", "autocomplete": "off"}),
    )
    team_note = forms.CharField(
        label=_("Note for the team"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential_note = forms.CharField(
        label=_("Confidential note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "confidential-input"}),
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput())

    def __init__(
        self,
        *args,
        user,
        sites=(),
        person=None,
        encounter=None,
        site_hint=None,
        refresh_url: str = "",
        **kw,
    ):
        super().__init__(*args, **kw)
        self.user = user
        self.person = person
        self.encounter = encounter
        self.fields["team_note"].help_text = self.team_note_help
        self.fields["confidential_note"].help_text = self.confidential_help
        if encounter is not None:
            # Site and activity are not changed afterwards; linked persons neither.
            for name in (*PLACEMENT_FIELDS, "linked_persons"):
                self.fields.pop(name, None)
        else:
            self._setup_placement(list(sites), site_hint)
            if refresh_url:
                # Changing the site reloads the activities run there (htmx).
                self.fields["site"].widget.attrs.update(
                    {
                        "hx-get": refresh_url,
                        "hx-trigger": "change",
                        "hx-target": "#activity-field",
                        "hx-select": "#activity-field",
                        "hx-swap": "outerHTML",
                    }
                )
        if self.has_tallies:
            for sex, sex_label in c.TALLY_SEXES:
                for index, (_group, group_label) in enumerate(TALLY_GROUPS):
                    label = format_lazy("{}, {}", sex_label, group_label)
                    self.fields[f"{TALLY_PREFIX}_{sex}_{index}"] = forms.IntegerField(
                        label=label,
                        required=False,
                        min_value=0,
                        max_value=10000,
                        widget=forms.NumberInput(
                            attrs={
                                "min": 0,
                                "inputmode": "numeric",
                                "class": "tally",
                                "aria-label": label,
                            }
                        ),
                    )
        if not self.is_bound and encounter is None:
            self._set_defaults()

    # -- placement: site and activity, limited to what the user may use

    def _setup_placement(self, sites: list[Site], site_hint) -> None:
        self.sites = {s.pk: s for s in sites}
        projects: dict[str, list] = {}
        for s in sites:
            projects.setdefault(s.project.name, []).append((s.pk, s.name))
        if len(projects) > 1:
            self.fields["site"].choices = list(projects.items())
        else:
            self.fields["site"].choices = [(s.pk, s.name) for s in sites]
        current = self._current_site(site_hint)
        types = list(current.activity_types.all()) if current else []
        self.fields["activity"].choices = [("", "—")] + [(t.pk, str(t)) for t in types]
        if not self.is_bound and current is not None:
            self.initial.setdefault("site", current.pk)
            last = self._last_used()
            if last is not None and last[0] == current.pk and last[1]:
                self.initial.setdefault("activity", last[1])
            elif len(types) == 1:
                self.initial.setdefault("activity", types[0].pk)

    def _current_site(self, site_hint) -> Site | None:
        raw = self.data.get("site") if self.is_bound else (site_hint or self.initial.get("site"))
        try:
            site = self.sites.get(int(raw)) if raw not in (None, "") else None
        except (TypeError, ValueError):
            site = None
        if site is not None or not self.sites:
            return site
        candidates = list(self.sites.values())
        if self.person is not None:
            enrolled = set(self.person.enrolments.values_list("project_id", flat=True))
            candidates = [s for s in candidates if s.project_id in enrolled] or candidates
        # Teams work at the same place day after day: the site of the user's last
        # encounter of this discipline comes first.
        last = self._last_used()
        if last is not None:
            for candidate in candidates:
                if candidate.pk == last[0]:
                    return candidate
        return candidates[0]

    def _last_used(self) -> tuple[int, int | None] | None:
        if not hasattr(self, "_last"):
            from parcours.care.models import Encounter

            self._last = (
                Encounter.objects.filter(
                    author=self.user, discipline=self.discipline, site_id__in=list(self.sites)
                )
                .order_by("-created_at", "-id")
                .values_list("site_id", "activity_id")
                .first()
            )
        return self._last

    def _set_defaults(self) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.initial.setdefault("occurred_at", now)
        person = self.person
        if person is not None and person.interpreter_needed:
            spoken = [code for code in person.languages if code not in ("fr",)]
            if spoken:
                self.initial.setdefault("interpreter_mode", c.InterpreterMode.PHONE)
                self.initial.setdefault("interpreter_language", language_display(spoken[0]))

    @property
    def site_object(self) -> Site | None:
        return self.sites.get(self.cleaned_data.get("site"))

    @property
    def activity_object(self):
        pk = self.cleaned_data.get("activity")
        site = self.site_object
        if pk is None or site is None:
            return None
        return next((t for t in site.activity_types.all() if t.pk == pk), None)

    def clean_interpreter_language(self) -> str:
        return _language_code(self.cleaned_data.get("interpreter_language", ""))

    # -- conversion to what the service expects

    def detail_names(self) -> list[str]:
        names = [*self.main]
        for _key, _title, fields in self.sections:
            names.extend(fields)
        return [n for n in names if n in self.fields]

    def payload(self) -> tuple[dict, dict]:
        cleaned = self.cleaned_data
        data = {name: cleaned.get(name) for name in COMMON_FIELDS if name in self.fields}
        for name in ("team_note", "confidential_note", "interpreter_mode", "interpreter_language"):
            if name in data:
                data[name] = data[name] or ""
        details = {name: cleaned.get(name) for name in self.detail_names()}
        if self.has_tallies:
            details["tallies"] = self.tallies()
        return data, self.adjust_details(details)

    def adjust_details(self, details: dict) -> dict:
        return details

    def tallies(self) -> list[dict]:
        rows = []
        for sex, _label in c.TALLY_SEXES:
            for index, (group, _glabel) in enumerate(TALLY_GROUPS):
                count = self.cleaned_data.get(f"{TALLY_PREFIX}_{sex}_{index}")
                if count:
                    rows.append({"sex": sex, "age_group": group, "count": count})
        return rows

    # -- layout for the template

    def _has_value(self, bound) -> bool:
        value = bound.value()
        if bound.errors:
            return True
        if isinstance(bound.field, forms.BooleanField):
            return bool(value) and value not in ("false", "off")
        return value not in (None, "", [], ())

    def _item(self, name: str) -> dict:
        bound = self[name]
        widget = bound.field.widget
        if name == "diagnoses":
            kind = "diagnoses"
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            kind = "choices"
        elif isinstance(widget, forms.CheckboxInput):
            kind = "checkbox"
        else:
            kind = "plain"
        return {"field": bound, "kind": kind}

    def layout(self) -> dict:
        sections = []
        for key, title, names in self.sections:
            names = [n for n in names if n in self.fields]
            if not names and not (key == "tallies" and self.has_tallies):
                continue
            items = [self._item(n) for n in names]
            is_open = any(self._has_value(self[n]) for n in names) or (
                not self.is_bound and key in self.open_by_default()
            )
            if key == "tallies":
                is_open = is_open or any(self._has_value(b) for b in self.tally_fields())
            sections.append({"key": key, "title": title, "items": items, "open": is_open})

        def items(names) -> list[dict]:
            return [self._item(n) for n in names if n in self.fields]

        interpreter = ("interpreter_mode", "interpreter_language")
        return {
            "when": items(("occurred_at", *PLACEMENT_FIELDS)),
            "main": items(self.main),
            "sections": sections,
            "interpreter": items(interpreter),
            "interpreter_open": any(self._has_value(self[n]) for n in interpreter),
            "notes": items(("team_note", "confidential_note", "follow_up_on")),
        }

    def tally_fields(self):
        return [self[name] for name in self.fields if name.startswith(f"{TALLY_PREFIX}_")]

    def tally_grid(self) -> dict:
        sexes = c.TALLY_SEXES
        rows = []
        for index, (_group, label) in enumerate(TALLY_GROUPS):
            rows.append(
                {
                    "label": label,
                    "cells": [self[f"{TALLY_PREFIX}_{sex}_{index}"] for sex, _l in sexes],
                }
            )
        return {"sexes": [label for _sex, label in sexes], "rows": rows}

    def chosen_diagnoses(self) -> list[tuple[str, str]]:
        if "diagnoses" not in self.fields:
            return []
        codes = self["diagnoses"].value() or []
        if isinstance(codes, str):
            codes = [codes]
        codes = list(dict.fromkeys(str(code).strip().upper() for code in codes if code))
        return [(code, icd10_label(code) or _("unknown code")) for code in codes]

    def language_options(self) -> list[str]:
        return [language_display(code) for code in COMMON_LANGUAGES]

    def open_by_default(self) -> set[str]:
        """Sections worth opening before anything is typed."""
        return set()

    @classmethod
    def initial_for(cls, encounter) -> dict:
        """The encounter as the form shows it, for editing."""
        initial = {name: getattr(encounter, name) for name in COMMON_FIELDS}
        initial["occurred_at"] = timezone.localtime(encounter.occurred_at)
        initial["interpreter_language"] = language_display(encounter.interpreter_language)
        return initial


class MedicalForm(EncounterForm):
    discipline = Discipline.MEDICAL
    main = ("reason", "morbidity", "diagnoses", "treatments")
    sections = (
        (
            "vitals",
            _("Vital signs"),
            (
                "temperature_c",
                "pulse_bpm",
                "systolic_mmhg",
                "diastolic_mmhg",
                "respiratory_rate",
                "spo2_percent",
                "weight_kg",
            ),
        ),
        (
            "womens_health",
            _("Women's health"),
            (
                "pregnant",
                "gestational_age_weeks",
                "antenatal_visit_number",
                "contraception",
                "sti_treated",
                "safe_abortion_care",
            ),
        ),
        (
            "sv_care",
            _("Care after sexual violence"),
            (
                "sv_care",
                "hours_since_incident",
                "pep_given",
                "emergency_contraception_given",
                "certificate_issued",
            ),
        ),
    )
    SV_FIELDS = (
        "hours_since_incident",
        "pep_given",
        "emergency_contraception_given",
        "certificate_issued",
    )

    reason = text(_("Reason for consultation"), 255)
    morbidity = choice(_("Main morbidity (short list)"), c.Morbidity.choices, blank="—")
    diagnoses = CodeListField(label=_("Diagnoses (ICD-10)"), required=False)
    treatments = text(_("Treatments dispensed"), 255)
    temperature_c = number("temperature_c", _("Temperature (°C)"), decimal=True)
    pulse_bpm = number("pulse_bpm", _("Pulse (/min)"))
    systolic_mmhg = number("systolic_mmhg", _("Systolic BP (mmHg)"))
    diastolic_mmhg = number("diastolic_mmhg", _("Diastolic BP (mmHg)"))
    respiratory_rate = number("respiratory_rate", _("Respiratory rate (/min)"))
    spo2_percent = number("spo2_percent", _("SpO₂ (%)"))
    weight_kg = number("weight_kg", _("Weight (kg)"), decimal=True)
    pregnant = yes_no_unknown(_("Pregnant"))
    gestational_age_weeks = number("gestational_age_weeks", _("Gestational age (weeks)"))
    antenatal_visit_number = number("antenatal_visit_number", _("Antenatal visit number"))
    contraception = choice(_("Contraception given"), c.Contraception.choices)
    sti_treated = forms.BooleanField(label=_("STI treated"), required=False)
    safe_abortion_care = choice(_("Safe abortion care"), c.SafeAbortionCare.choices)
    sv_care = forms.BooleanField(label=_("Care after sexual violence"), required=False)
    hours_since_incident = number("hours_since_incident", _("Hours since the incident"))
    pep_given = yes_no_unknown(_("PEP given (within 72 h)"))
    emergency_contraception_given = yes_no_unknown(_("Emergency contraception given"))
    certificate_issued = yes_no_unknown(_("Medical certificate issued"))

    def open_by_default(self) -> set[str]:
        if self.person is not None and self.person.flags.filter(flag="pregnant").exists():
            return {"womens_health"}
        return set()

    def adjust_details(self, details: dict) -> dict:
        # Filling in the sexual-violence care fields means that care was given.
        if any(details.get(name) is not None for name in self.SV_FIELDS):
            details["sv_care"] = True
        return details

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "medical", None), cls))
        initial["diagnoses"] = list(encounter.diagnoses.values_list("icd10", flat=True))
        return initial


class MentalHealthForm(EncounterForm):
    discipline = Discipline.MENTAL_HEALTH
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

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "mental_health", None), cls))
        return initial


class SocialForm(EncounterForm):
    discipline = Discipline.SOCIAL
    main = ("needs", "health_coverage", "actions", "outcome")

    needs = several(_("Needs assessed"), c.SOCIAL_NEEDS)
    health_coverage = choice(_("Health coverage"), c.HealthCoverage.choices)
    actions = several(_("Actions"), c.SOCIAL_ACTIONS)
    outcome = text(_("Outcome"), 255)

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "social", None), cls))
        return initial


class LegalForm(EncounterForm):
    discipline = Discipline.LEGAL_PROTECTION
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

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "legal", None), cls))
        return initial


class SVIncidentForm(EncounterForm):
    discipline = Discipline.SV_INCIDENT
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

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "sv_incident", None), cls))
        return initial


class ActivityForm(EncounterForm):
    """Outreach rounds, shelter stays, day-centre attendance: not clinical."""

    team_note_help = _(
        "Seen by everyone in the project who follows activities. Write nothing clinical."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Activities have no discipline secret: a "confidential" note would mislead.
        self.fields.pop("confidential_note")
        self.fields["team_note"].label = _("Note")

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial.update(_row_initial(getattr(encounter, "activity_details", None), cls))
        sexes = [sex for sex, _label in c.TALLY_SEXES]
        groups = [group for group, _label in TALLY_GROUPS]
        for tally in encounter.tallies.all():
            if tally.sex in sexes and tally.age_group in groups:
                index = groups.index(tally.age_group)
                initial[f"{TALLY_PREFIX}_{tally.sex}_{index}"] = tally.count
        return initial


class OutreachForm(ActivityForm):
    discipline = Discipline.OUTREACH
    main = ("place", "services")
    sections = (
        ("tallies", _("People met"), ()),
        ("linked", _("Registered persons met"), ("linked_persons",)),
    )
    has_tallies = True

    place = text(_("Place"), 120, help_text=_("Beach, camp, street…"))
    services = several(_("Services given"), c.ACTIVITY_SERVICES)
    linked_persons = forms.CharField(
        label=_("Codes of registered persons met"),
        required=False,
        help_text=_("Separated by spaces or commas, e.g. CAL-00012 CAL-00045."),
    )

    def layout(self) -> dict:
        layout = super().layout()
        # The count is what the round is for: always open.
        for section in layout["sections"]:
            if section["key"] == "tallies":
                section["open"] = True
        return layout

    def clean_linked_persons(self) -> list[int]:
        raw = self.cleaned_data.get("linked_persons", "")
        codes = list(dict.fromkeys(code.upper() for code in raw.replace(",", " ").split()))
        if not codes:
            return []
        found = dict(
            Enrolment.objects.filter(
                code__in=codes, person__in=persons_visible_to(self.user)
            ).values_list("code", "person_id")
        )
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                _("No person you may see has the code(s) %(codes)s."),
                params={"codes": ", ".join(unknown)},
            )
        return sorted(set(found.values()))

    def detail_names(self) -> list[str]:
        names = super().detail_names()
        if "linked_persons" in names and not self.cleaned_data.get("linked_persons"):
            names.remove("linked_persons")
        return names


class ShelterForm(ActivityForm):
    discipline = Discipline.SHELTER
    main = ("admitted_on", "discharged_on", "services")

    admitted_on = forms.DateField(
        label=_("Admission"), required=False, widget=DateInput(), initial=date.today
    )
    discharged_on = forms.DateField(
        label=_("Discharge"),
        required=False,
        widget=DateInput(),
        help_text=_("The number of nights is counted from the two dates."),
    )
    services = several(_("Services given"), c.ACTIVITY_SERVICES)


class DayCentreForm(ActivityForm):
    discipline = Discipline.DAY_CENTRE
    main = ("services",)
    sections = (("tallies", _("People counted without registering them"), ()),)
    has_tallies = True

    services = several(_("Services given"), c.ACTIVITY_SERVICES)


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


def _row_initial(row, form_class) -> dict:
    """Field values of a details row, as the form's widgets expect them."""
    if row is None:
        return {}
    initial = {}
    for field in row._meta.concrete_fields:
        name = field.name
        if name == "encounter" or name not in form_class.base_fields:
            continue
        value = getattr(row, name)
        form_field = form_class.base_fields[name]
        if isinstance(form_field, YesNoUnknownField):
            value = {True: "yes", False: "no"}.get(value, "")
        initial[name] = value
    return initial
