from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.models import ConsentMethod, TestimonyUse
from parcours.feedback.models import (
    CONTACT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    STAFF_CHANNELS,
    TESTIMONY_MAX_LENGTH,
    CareBarrier,
    FeedbackCategory,
    PerpetratorType,
    PlaceType,
    ResponseMethod,
    Status,
    ViolenceType,
)
from parcours.lib.forms import DATETIME_LOCAL, DateTimeLocalInput

UNCLASSIFIED = _("Not classified yet (read by safeguarding first)")


class RecordForm(forms.Form):
    """Feedback heard through another channel. The service checks the values."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )
    language = forms.CharField(
        label=_("Language used"),
        max_length=8,
        required=False,
        help_text=_("ISO 639 code, e.g. ar, ti, ps."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", UNCLASSIFIED), *FeedbackCategory.choices],
        help_text=_(
            "Staff conduct, sexual exploitation and abuse, fraud and data protection are "
            "sensitive: only the safeguarding focal points will read them."
        ),
    )
    sensitivity_raised = forms.BooleanField(
        label=_("Sensitive whatever its category (only safeguarding reads it)"), required=False
    )
    message = forms.CharField(
        label=_("What the person said"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        strip=False,
    )
    contact = forms.CharField(
        label=_("How to reach the person (optional)"),
        max_length=CONTACT_MAX_LENGTH,
        required=False,
        help_text=_("Empty: anonymous."),
    )

    def __init__(self, *args, projects=(), sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]
        self.fields["site"].choices = [("", "—")] + [
            (s.pk, f"{s.project.code} · {s.name}") for s in sites
        ]
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class EditForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", UNCLASSIFIED), *FeedbackCategory.choices]
    )
    sensitivity_raised = forms.BooleanField(
        label=_("Sensitive whatever its category (only safeguarding reads it)"), required=False
    )
    handler = forms.TypedChoiceField(
        label=_("Handler"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        users = {m.user.pk: m.user for m in candidates}
        self.fields["handler"].choices = [("", "—")] + [
            (pk, u.get_full_name() or u.username) for pk, u in users.items()
        ]


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("Next step"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a step is skipped: say why."),
    )
    response = forms.CharField(
        label=_("Response given to the person"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    response_method = forms.ChoiceField(
        label=_("How the response was given"),
        required=False,
        choices=[("", "—"), *ResponseMethod.choices],
    )


class SettingsForm(forms.Form):
    acknowledge_days = forms.IntegerField(
        label=_("Acknowledge within (days)"), min_value=1, max_value=365
    )
    respond_days = forms.IntegerField(label=_("Respond within (days)"), min_value=1, max_value=365)


class TestimonyForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the events"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    place_type = forms.ChoiceField(
        label=_("Type of place"), required=False, choices=[("", "—"), *PlaceType.choices]
    )
    language = forms.CharField(
        label=_("Language of the testimony"),
        max_length=3,
        required=False,
        help_text=_("ISO 639 code."),
    )
    text = forms.CharField(
        label=_("Testimony"),
        max_length=TESTIMONY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        strip=False,
    )
    violence_types = forms.MultipleChoiceField(
        label=_("Violence"),
        required=False,
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    perpetrator_types = forms.MultipleChoiceField(
        label=_("Perpetrators"),
        required=False,
        choices=PerpetratorType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    care_barriers = forms.MultipleChoiceField(
        label=_("Barriers to care"),
        required=False,
        choices=CareBarrier.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    use = forms.ChoiceField(
        label=_("Use the person agreed to"), choices=TestimonyUse.choices, widget=forms.RadioSelect
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent was obtained"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.ORAL_INTERPRETER,
    )
    attribution = forms.CharField(
        label=_("Name or pseudonym to quote (identifiable use only)"),
        max_length=200,
        required=False,
    )
