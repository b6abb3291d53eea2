"""Forms of the user-management pages (configuration administrators only)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import ROLE_LABELS, Role
from parcours.org.models import Project

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Username, name or e-mail")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[
            ("active", _("Active")),
            ("inactive", _("Deactivated")),
            ("all", _("All")),
        ],
    )


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)

    @staticmethod
    def initial_for(user) -> dict:
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
        }


class MembershipGrantForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.select_related("mission")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].label_from_instance = project_label


def project_label(project: Project) -> str:
    return f"{project.code} — {project.name}"
