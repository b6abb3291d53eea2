"""The appointment form: it receives plain choices (disciplines, sites,
clinicians) decided by the view, never the user."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.agenda.validation import MAX_DURATION, MIN_DURATION, REASON_MAX
from parcours.lib.forms import DateTimeLocalInput


class AppointmentForm(forms.Form):
    discipline = forms.ChoiceField(label=_("Discipline"))
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    clinician = forms.TypedChoiceField(
        label=_("Clinician"), coerce=int, required=False, empty_value=None
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=30
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        help_text=_("Seen only by the care team of this discipline, never by reception."),
    )

    def __init__(self, *args, disciplines, sites, clinicians, fixed_discipline=False, **kwargs):
        """``disciplines``: [(value, label)]; ``sites``: [(id, label)];
        ``clinicians``: [(id, name)]."""
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = disciplines
        self.fields["site"].choices = sites
        self.fields["clinician"].choices = [("", _("— none yet —")), *clinicians]
        if fixed_discipline:
            self.fields["discipline"].disabled = True
        self.site_ids = {pk for pk, _label in sites}
