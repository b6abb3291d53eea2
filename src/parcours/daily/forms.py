from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.daily.models import NOTE_MAX_LENGTH

NO_CLINICAL_CONTENT = _(
    "About the team's day, not about one person's care: no diagnosis, treatment or "
    "clinical detail here (they belong in the person's record, where access is decided "
    "per discipline). Name no one."
)


class NotesForm(forms.Form):
    """The team notes of a daily report; receives plain values only."""

    incidents = forms.CharField(
        label=_("Incidents"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Security incidents, tensions, closures, police operations…"),
    )
    collaborations = forms.CharField(
        label=_("Collaborations"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Partners met, referrals arranged, joint activities."),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_CLINICAL_CONTENT,
    )
