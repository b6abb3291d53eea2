from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.accounts import lockout, mfa, services
from parcours.accounts.services import user_set_language
from parcours.audit import services as audit
from parcours.audit.events import Event


class LockoutAuthenticationForm(AuthenticationForm):
    def clean(self):
        minutes = lockout.minutes_locked(
            self.data.get("username", ""), lockout.client_address(self.request)
        )
        if minutes:
            # Counted as a failure too: hammering a locked account keeps it locked.
            lockout.record_failure(
                self.data.get("username", ""), lockout.client_address(self.request), "web"
            )
            raise forms.ValidationError(lockout.locked_message(minutes), code="locked")
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LockoutAuthenticationForm

    def form_valid(self, form):
        user = form.get_user()
        if mfa.needed(user):
            # Not signed in yet: the code step completes the sign-in.
            mfa.start_pending(self.request, user, self.get_success_url())
            step = "accounts:mfa_verify" if mfa.totp_device(user) else "accounts:mfa_enrol"
            return redirect(step)
        response = super().form_valid(form)
        self.request.session[mfa.NOT_NEEDED] = True
        return response


class LogoutView(auth_views.LogoutView):
    """Signing out ends every session of the user, on every device."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.user_end_sessions(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def get_success_url(self):
        return reverse("accounts:preferences")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            actor=self.request.user, event=Event.USER_PASSWORD_CHANGE, subject=self.request.user
        )
        messages.success(self.request, _("Your password was changed."))
        return response


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        user_set_language(
            actor=request.user, user=request.user, language=form.cleaned_data["language"]
        )
        messages.success(request, _("Preferences saved."))
        return redirect("accounts:preferences")
    return render(
        request, "accounts/preferences.html", {"form": form, "mfa_on": mfa.mode() != "off"}
    )


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Language switch on the sign-in page, before anyone is signed in."""
    language = request.POST.get("language", settings.LANGUAGE_CODE)
    target = request.POST.get("next") or reverse("accounts:login")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:login")
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400
        )
        if request.user.is_authenticated:
            user_set_language(actor=request.user, user=request.user, language=language)
    return response
