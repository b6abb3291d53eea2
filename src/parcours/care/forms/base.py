"""What every encounter form has: date, place, interpreter, notes, tallies,
the layout the template renders, and the conversion to the service's dicts."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.forms.fields import (
    YesNoUnknownField,
    choice,
)
from parcours.care.icd10 import icd10_label
from parcours.care.validation import COMMON_FIELDS
from parcours.lib.forms import DateTimeLocalInput
from parcours.lib.languages import COMMON_LANGUAGES, language_code, language_display
from parcours.org.models import Site
from parcours.people.ages import AGE_GROUPS
from parcours.people.forms import DateInput

PLACEMENT_FIELDS = ("site", "activity")
TALLY_GROUPS = [(code, label) for code, label, _lo, _hi in AGE_GROUPS] + [
    ("unknown", _("Age unknown"))
]
TALLY_PREFIX = "tally"


def tally_field_name(sex: str, index: int) -> str:
    """The field of one cell of the tally grid: a sex and an age group (by position)."""
    return f"{TALLY_PREFIX}_{sex}_{index}"


# --- the base form ----------------------------------------------------------


class EncounterForm(forms.Form):
    """What every encounter has; subclasses add their discipline's fields."""

    discipline: str = ""
    # Layout: fields always shown, then collapsible sections (key, title, fields).
    main: tuple[str, ...] = ()
    sections: tuple[tuple[str, object, tuple[str, ...]], ...] = ()
    has_tallies = False
    # A follow-up date is planned for a person's care; a count of people met has none.
    asks_follow_up = True
    # The encounter's one-to-one row with the discipline's own fields, if any.
    details_relation = ""
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
        author,
        sites=(),
        linkable_persons=None,
        person=None,
        encounter=None,
        site_hint=None,
        refresh_url: str = "",
        **kw,
    ):
        super().__init__(*args, **kw)
        # Decided by the view through parcours.access: the sites the author may
        # record at (for this person) and the persons they may link.
        self.author = author
        self.linkable_persons = linkable_persons
        self.person = person
        self.encounter = encounter
        self.fields["team_note"].help_text = self.team_note_help
        self.fields["confidential_note"].help_text = self.confidential_help
        if not self.asks_follow_up:
            self.fields.pop("follow_up_on")
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
                    self.fields[tally_field_name(sex, index)] = forms.IntegerField(
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
        codes = c.ACTIVITY_TYPE_CODES.get(self.discipline)
        if codes is not None:
            # An attendance at a day centre that also holds a legal clinic is a day centre's.
            types = [t for t in types if t.code in codes]
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
                    author=self.author, discipline=self.discipline, site_id__in=list(self.sites)
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
        typed = self.cleaned_data.get("interpreter_language", "")
        # An unknown language is kept as typed: the service names the error.
        return language_code(typed) or (typed or "").strip().lower()

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
                count = self.cleaned_data.get(tally_field_name(sex, index))
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
                    "cells": [self[tally_field_name(sex, index)] for sex, _l in sexes],
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
        if cls.details_relation:
            initial.update(_row_initial(getattr(encounter, cls.details_relation, None), cls))
        return initial


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
