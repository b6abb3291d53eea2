"""The second step of signing in, enrolment (at first sign-in, or by choice)
and the two-factor page of one's preferences. See accounts.mfa."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from parcours.accounts import lockout, mfa
from parcours.audit import services as audit
from parcours.audit.events import Event


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _safe_next(request: HttpRequest, target: str) -> str:
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _wrong_code(request: HttpRequest, user, form: CodeForm) -> HttpResponse | None:
    """Count a wrong code towards the lockout; when the account or the address is
    now locked, end the pending sign-in."""
    address = lockout.client_address(request)
    lockout.record_failure(user.username, address, "web")
    minutes = lockout.minutes_locked(user.username, address)
    if minutes:
        mfa.clear_pending(request)
        messages.error(request, lockout.locked_message(minutes))
        return redirect("accounts:login")
    form.add_error("code", _("Wrong code. Check your phone's clock and try the newest code."))
    return None


def _locked(request: HttpRequest, user) -> HttpResponse | None:
    minutes = lockout.minutes_locked(user.username, lockout.client_address(request))
    if not minutes:
        return None
    mfa.clear_pending(request)
    messages.error(request, lockout.locked_message(minutes))
    return redirect("accounts:login")


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the app, or a recovery code."""
    waiting = mfa.pending(request)
    if waiting is None:
        return redirect("accounts:login")
    user, next_url = waiting
    if mfa.totp_device(user) is None:
        return redirect("accounts:mfa_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _locked(request, user)
        if refused:
            return refused
        device = mfa.verify(user, form.cleaned_data["code"])
        if device is None:
            refused = _wrong_code(request, user, form)
            if refused:
                return refused
        else:
            mfa.complete(request, user, device)
            if mfa.is_recovery(device):
                left = mfa.recovery_codes_left(user)
                audit.record(
                    actor=user, event=Event.MFA_RECOVERY_USE, subject=user, extra={"left": left}
                )
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)s left. "
                        "Make new ones on your two-factor page."
                    )
                    % {"left": left},
                )
            return redirect(_safe_next(request, next_url))
    return render(request, "accounts/mfa_verify.html", {"form": form, "target": user})


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: at the first sign-in of an account that
    must have one (pending sign-in), or from one's two-factor page."""
    waiting = mfa.pending(request)
    if waiting is not None:
        user, next_url = waiting
    elif request.user.is_authenticated and mfa.mode() != "off":
        user, next_url = request.user, None
    else:
        return redirect("accounts:login")
    if mfa.totp_device(user) is not None:
        return redirect("accounts:mfa_verify" if waiting else "accounts:mfa")
    device = mfa.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _locked(request, user) if waiting else None
        if refused:
            return refused
        codes = mfa.confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is None:
            refused = _wrong_code(request, user, form)
            if refused:
                return refused
        else:
            device.refresh_from_db()
            if waiting:
                mfa.complete(request, user, device)
            else:
                otp_login(request, device)
            audit.record(actor=user, event=Event.MFA_ENROL, subject=user)
            return _show_codes(request, codes, next_url=_safe_next(request, next_url or "/"))
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "target": user,
            "qr": mfa.qr_svg(device),
            "secret": mfa.secret_text(device),
            "required": mfa.required(user),
        },
    )


def _show_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    """The one time recovery codes are shown (never cached, kept only as hashes)."""
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": next_url})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if mfa.mode() == "off":
        raise Http404
    user = request.user
    return render(
        request,
        "accounts/mfa.html",
        {
            "enrolled": mfa.totp_device(user) is not None,
            "required": mfa.required(user),
            "codes_left": mfa.recovery_codes_left(user),
        },
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), for a verified session."""
    if mfa.mode() == "off" or not request.user.is_verified():
        raise Http404
    codes = mfa.new_recovery_codes(request.user)
    audit.record(actor=request.user, event=Event.MFA_RECOVERY_RENEW, subject=request.user)
    return _show_codes(request, codes, next_url="/")
