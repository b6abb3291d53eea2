"""A password validator: the new password is not the one in use."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotTheCurrentPasswordValidator:
    def validate(self, password, user=None):
        in_use = user is not None and user.pk and user.has_usable_password()
        if in_use and user.check_password(password):
            raise ValidationError(
                _("Choose a new password: this one is the password in use."),
                code="password_reused",
            )

    def get_help_text(self):
        return _("Your new password must differ from the current one.")
