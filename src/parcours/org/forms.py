"""Forms of the configuration pages. They check types; org.services checks the rules."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core import signing
from django.core.validators import RegexValidator, validate_slug
from django.utils.translation import gettext_lazy as _

from parcours.org.models import ActivityType, Mission, Project, Site, Status
from parcours.org.validation import PROJECT_CODE_RE

ORIGINAL_SALT = "parcours.org.original"
MAX_ID = 2**63 - 1  # beyond, SQLite raises instead of finding nothing


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows; an id no database can hold is an invalid choice, not an error 500."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if not str(pk).isdigit() or not 0 < int(pk) <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def _salt(instance) -> str:
    # One row's token is worthless for another row.
    return f"{ORIGINAL_SALT}:{instance._meta.label_lower}:{instance.pk}"


def sign_original(instance, values: dict) -> str:
    """The values the form was opened with, signed so they cannot be forged."""
    return signing.dumps(values, salt=_salt(instance), compress=True)


def read_original(instance, token: str) -> dict | None:
    try:
        values = signing.loads(token or "", salt=_salt(instance))
    except signing.BadSignature:
        return None
    return values if isinstance(values, dict) else None


class OriginalMixin(forms.Form):
    """Carries the signed values the form was opened with (the stale-edit check)."""

    original = forms.CharField(widget=forms.HiddenInput, required=False)


class ProjectCodeField(forms.CharField):
    """Typed in any case on a tablet keyboard; stored in capitals."""

    def to_python(self, value):
        return super().to_python(value).upper()


class MissionForm(OriginalMixin):
    name = forms.CharField(label=_("Name"), max_length=120)
    country = Mission._meta.get_field("country").formfield(label=_("Country"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Status.choices,
        help_text=_("Suspending or closing a mission keeps all its data."),
    )

    @staticmethod
    def initial_for(mission: Mission) -> dict:
        return {"name": mission.name, "country": mission.country.code, "status": mission.status}


class ProjectForm(OriginalMixin):
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=Mission.objects.all())
    name = forms.CharField(label=_("Name"), max_length=120)
    code = ProjectCodeField(
        label=_("Code"),
        max_length=12,
        validators=[
            RegexValidator(
                PROJECT_CODE_RE, _("Use 2 to 6 capital letters (A to Z), e.g. CAL."), "invalid"
            )
        ],
        help_text=_("2 to 6 capital letters, used as the prefix of person codes (e.g. CAL)."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Status.choices,
        help_text=_(
            "Suspending or closing a project keeps all its data: records stay readable "
            "and reports still count them; only open projects accept new records."
        ),
    )
    opened_on = forms.DateField(
        label=_("Opened on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_on = forms.DateField(
        label=_("Closed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty when closing, today's date is recorded."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {
            "mission": project.mission_id,
            "name": project.name,
            "code": project.code,
            "status": project.status,
            "opened_on": project.opened_on,
            "closed_on": project.closed_on,
            "description": project.description,
        }


class CoordinateField(forms.CharField):
    """A decimal coordinate; accepts a comma as decimal separator (French keyboards)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = Decimal(value.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise forms.ValidationError(
                _("Enter a number, e.g. 50.95123."), code="invalid"
            ) from None
        if not number.is_finite():
            raise forms.ValidationError(_("Enter a number, e.g. 50.95123."), code="invalid")
        if not -self.limit <= number <= self.limit:
            raise forms.ValidationError(
                _("Enter a value between -%(limit)s and %(limit)s."),
                code="range",
                params={"limit": self.limit},
            )
        return number

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)


class SiteForm(OriginalMixin):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.select_related("mission")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    activity_types = IdsChoiceField(
        label=_("Activities"),
        queryset=ActivityType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    latitude = CoordinateField(
        limit=90,
        label=_("Latitude"),
        required=False,
        help_text=_("Decimal degrees between -90 and 90, e.g. 50.95123."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = CoordinateField(
        limit=180,
        label=_("Longitude"),
        required=False,
        help_text=_("Decimal degrees between -180 and 180, e.g. 1.85876."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("A site no longer in use keeps its history; it is no longer offered."),
    )

    @staticmethod
    def initial_for(site: Site) -> dict:
        return {
            "project": site.project_id,
            "name": site.name,
            "activity_types": list(site.activity_types.values_list("pk", flat=True)),
            "address": site.address,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "is_active": site.is_active,
        }


class ActivityTypeForm(OriginalMixin):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[validate_slug],
        help_text=_("Lower-case letters, digits, - and _; e.g. mobile_clinic."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    name_fr = forms.CharField(label=_("Name in French"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120)

    @staticmethod
    def initial_for(activity_type: ActivityType) -> dict:
        return {
            "code": activity_type.code,
            "name_fr": activity_type.name_fr,
            "name_en": activity_type.name_en,
        }


def service_data(form: forms.Form) -> dict:
    """The cleaned values a service takes: everything but the stale-edit token."""
    return {k: v for k, v in form.cleaned_data.items() if k != "original"}
