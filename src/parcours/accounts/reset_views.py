"""The one-time link of a password reset: the user chooses their password.

An administrator's reset makes the old password unusable and gives a link
(accounts.services.user_reset_password); the administrator never sets or
knows the new one. The link works once (Django's token generator is bound to
the password hash) and expires after PASSWORD_RESET_TIMEOUT.
"""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from parcours.accounts import services
from parcours.accounts.models import User


def _user_for(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first() if 0 < pk < 2**63 else None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@never_cache
def choose(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_for(uidb64, token)
    if user is None:
        return render(request, "accounts/password_choose.html", {"invalid": True}, status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_choose_password(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Sign in with it."))
        return redirect("accounts:login")
    return render(request, "accounts/password_choose.html", {"form": form, "target": user})
