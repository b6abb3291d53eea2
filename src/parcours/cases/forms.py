"""Forms of the pathway, case, protocol and lesson pages (the services check)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.cases.casework import NEEDS, ClosureReason
from parcours.cases.models import RiskLevel, TaskStatus
from parcours.lib.forms import DATETIME_LOCAL, DateTimeLocalInput
from parcours.people.forms import DateInput


def _user_label(user) -> str:
    return user.get_full_name() or user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class PathwayStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pathway"))
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    source = forms.TypedChoiceField(
        label=_("From the incident or consultation"), coerce=int, required=False, empty_value=None
    )
    event_at = forms.DateTimeField(
        label=_("Starting event (date and time)"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
        help_text=_(
            "Sexual violence: when the incident happened (the clocks of PEP and emergency "
            "contraception run from it). Safe abortion: the first consultation."
        ),
    )
    gestational_weeks = forms.IntegerField(
        label=_("Gestational age (weeks of amenorrhoea)"),
        required=False,
        min_value=0,
        max_value=45,
    )

    def __init__(self, *args, kinds=(), projects=(), sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["project"].choices = list(projects)
        self.fields["source"].choices = [("", "—"), *sources]


class StepCompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseOpenForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    worker = UserChoiceField(label=_("Case worker"), queryset=None)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    need_1 = forms.ChoiceField(label=_("Most urgent need"), choices=NEEDS)
    need_2 = forms.ChoiceField(label=_("Second need"), choices=[("", "—"), *NEEDS], required=False)
    need_3 = forms.ChoiceField(label=_("Third need"), choices=[("", "—"), *NEEDS], required=False)
    summary = forms.CharField(
        label=_("Why a case (no clinical detail)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, projects=(), workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = list(projects)
        self.fields["worker"].queryset = workers

    def needs(self) -> list[str]:
        return [
            self.cleaned_data.get(f"need_{i}")
            for i in (1, 2, 3)
            if self.cleaned_data.get(f"need_{i}")
        ]


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    worker = UserChoiceField(label=_("Case worker"), queryset=None)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    need_1 = forms.ChoiceField(label=_("Most urgent need"), choices=NEEDS)
    need_2 = forms.ChoiceField(label=_("Second need"), choices=[("", "—"), *NEEDS], required=False)
    need_3 = forms.ChoiceField(label=_("Third need"), choices=[("", "—"), *NEEDS], required=False)
    summary = forms.CharField(
        label=_("Why a case (no clinical detail)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers

    needs = CaseOpenForm.needs


class CaseCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.CHOICES)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=255)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=255)
    owner = UserChoiceField(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, owners=None, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["goal"].choices = [("", "—"), *goals]


class TaskStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = UsersChoiceField(
        label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    actions = forms.CharField(
        label=_("Agreed actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: the action, then the owner's user name, then the due date (YYYY-MM-DD), separated by “|”."
        ),
    )
    contribution_category = forms.ChoiceField(
        label=_("Your contribution belongs to"), required=False
    )
    contribution = forms.CharField(
        label=_("Your contribution"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the minutes only to who may read this category for the person."),
    )

    def __init__(self, *args, participants=None, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants
        if categories:
            self.fields["contribution_category"].choices = list(categories)
        else:  # the recorder writes no category here (a coordinator): no empty choice
            del self.fields["contribution_category"], self.fields["contribution"]


class ContributionForm(forms.Form):
    category = forms.ChoiceField(label=_("Your contribution belongs to"))
    text = forms.CharField(
        label=_("Your contribution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)


class ProtocolForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("E.g. pep-protocol: pathway steps link to it.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = UserChoiceField(label=_("Owner"), queryset=None)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    review_on = forms.DateField(label=_("Review date"), widget=DateInput())
    body = forms.CharField(
        label=_("Text (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    file = forms.FileField(label=_("Or a file (PDF or DOCX, 10 MB at most)"), required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ProtocolVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    review_on = forms.DateField(label=_("Review date"), widget=DateInput())
    change_note = forms.CharField(label=_("What changed"), max_length=255)
    body = forms.CharField(
        label=_("Text (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    file = forms.FileField(label=_("Or a file (PDF or DOCX, 10 MB at most)"), required=False)


class LessonForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    context = forms.CharField(
        label=_("Context"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lesson = forms.CharField(
        label=_("Lesson"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label=_("Recommendation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )
