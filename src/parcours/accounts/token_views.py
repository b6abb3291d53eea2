"""The owner's page of their API tokens: list, create (shown once), revoke."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from parcours.accounts import tokens
from parcours.accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses it, e.g. “KoBo import” or “MEAL dashboard”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=settings.PARCOURS_API_TOKEN_DAYS,
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read only (it cannot change anything)"), required=False
    )


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"days": settings.PARCOURS_API_TOKEN_DAYS})
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = tokens.token_issue(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            days=form.cleaned_data["days"],
        )
        created = {"token": token, "raw": raw}
        form = TokenForm(initial={"days": settings.PARCOURS_API_TOKEN_DAYS})
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user)[:100],
        },
    )


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token revoked: it no longer works."))
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
