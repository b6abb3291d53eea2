"""Small helpers shared by the views of every app."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker (no JavaScript of ours)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form
    has the field, at the top otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def error_messages(error: Exception) -> list[str]:
    """The messages of a service's PermissionDenied or ValidationError."""
    return list(getattr(error, "messages", None) or [str(error)])


def flash_errors(request, error: Exception) -> None:
    """Show a service's refusal on the next page, one message per error."""
    for message in error_messages(error):
        messages.error(request, message)
