"""Activities: outreach rounds, shelter stays, day-centre attendance."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import TALLY_GROUPS, EncounterForm, tally_field_name
from parcours.care.forms.fields import several, text
from parcours.people.forms import DateInput
from parcours.people.models import Enrolment


def services_given() -> forms.MultipleChoiceField:
    """The services field of every activity form (a new field for each)."""
    return several(_("Services given"), c.ACTIVITY_SERVICES)


class ActivityForm(EncounterForm):
    """Outreach rounds, shelter stays, day-centre attendance: not clinical."""

    details_relation = "activity_details"

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
        sexes = [sex for sex, _label in c.TALLY_SEXES]
        groups = [group for group, _label in TALLY_GROUPS]
        for tally in encounter.tallies.all():
            if tally.sex in sexes and tally.age_group in groups:
                index = groups.index(tally.age_group)
                initial[tally_field_name(tally.sex, index)] = tally.count
        return initial


class OutreachForm(ActivityForm):
    discipline = Discipline.OUTREACH
    main = ("place", "services")
    sections = (
        ("tallies", _("People met"), ()),
        ("linked", _("Registered persons met"), ("linked_persons",)),
    )
    has_tallies = True
    asks_follow_up = False

    place = text(_("Place"), 120, help_text=_("Beach, camp, street…"))
    services = services_given()
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
            Enrolment.objects.filter(code__in=codes, person__in=self.linkable_persons).values_list(
                "code", "person_id"
            )
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
    services = services_given()


class DayCentreForm(ActivityForm):
    discipline = Discipline.DAY_CENTRE
    main = ("services",)
    sections = (("tallies", _("People counted without registering them"), ()),)
    has_tallies = True
    asks_follow_up = False

    services = services_given()
