"""User management pages for configuration administrators (under /configuration/users/).

Accounts and memberships only: nothing here shows personal data of persons.
Actions that matter (deactivate, reset a password, revoke a role) ask for
confirmation on a page of their own (GET) and act on POST.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from parcours.access.terms import role_label
from parcours.accounts import grants, services, tokens
from parcours.accounts.forms import MembershipGrantForm, UserFilterForm, UserForm
from parcours.accounts.models import ApiToken, Membership, RoleGrant, User
from parcours.audit.events import event_label
from parcours.audit.models import AuditEvent
from parcours.lib import search_tokens
from parcours.lib.forms import apply_validation_error
from parcours.org.views import configuration_admin

USERS_PER_PAGE = 50


def _memberships(user: User) -> list[dict]:
    return [
        {"membership": m, "project": m.project, "role": role_label(m.role)}
        for m in user.memberships.all()
    ]


SEARCHES = "parcours_user_searches"


@configuration_admin
def user_list(request: HttpRequest) -> HttpResponse:
    """The users, searched by name or e-mail: the form posts and the list
    answers at ``?s=<token>`` (lib/search_tokens.py), so that no one's name
    is in an address or a log."""
    if request.method == "POST":
        token = search_tokens.stash(request, SEARCHES, request.POST, drop=("csrfmiddlewaretoken",))
        return HttpResponseRedirect(f"{reverse('org:user_list')}?s={token}", status=303)
    token = request.GET.get("s")
    params = (search_tokens.recall(request, SEARCHES, token) if token else None) or QueryDict()
    if not token:
        # Without a name (status only), the filters may stay in the address.
        params = request.GET.copy()
        params.pop("page", None)
    form = UserFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    users = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("project").order_by("project__code", "role"),
        )
    ).order_by("username")
    status = data.get("status") or "active"
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    query = (data.get("q") or "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"user": u, "memberships": _memberships(u)} for u in page.object_list]
    query_string = f"s={token}" if token else params.urlencode()
    return render(
        request,
        "accounts/configuration_user_list.html",
        {"form": form, "page": page, "rows": rows, "query_string": query_string},
    )


@never_cache
@configuration_admin
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        try:
            user, path = services.user_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return _show_link(request, user, path, created=True)
    return render(request, "accounts/configuration_user_create.html", {"form": form})


def _show_link(request: HttpRequest, user: User, path: str, *, created: bool) -> HttpResponse:
    """The one time the one-time link is shown (never cached, never stored)."""
    return render(
        request,
        "accounts/configuration_password_link.html",
        {
            "target": user,
            "created": created,
            "link": request.build_absolute_uri(path),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@configuration_admin
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        form = UserForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=target, data=form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("org:user_detail", pk=target.pk)
    else:
        form = UserForm(initial=UserForm.initial_for(target))
    memberships = (
        Membership.objects.filter(user=target)
        .select_related("project")
        .order_by("project__code", "role")
    )
    events = AuditEvent.objects.filter(
        Q(subject_type="accounts.user", subject_id=str(target.pk))
        | Q(subject_type__in=("accounts.membership", "accounts.rolegrant"), extra__user=target.pk)
    ).select_related("actor", "project")[:30]
    return render(
        request,
        "accounts/configuration_user_detail.html",
        {
            "target": target,
            "form": form,
            "memberships": [
                {"membership": m, "project": m.project, "role": role_label(m.role)}
                for m in memberships
            ],
            "grant_form": MembershipGrantForm(),
            "pending_grants": [
                {"grant": g, "role": role_label(g.role)} for g in grants.pending_for_user(target)
            ],
            "tokens": ApiToken.objects.filter(user=target)[:50],
            "revoke_as_admin": True,
            "events": [
                {
                    "event": e,
                    "label": event_label(e.event),
                    "role": role_label(e.extra.get("role", "")),
                    "project": e.project,
                }
                for e in events
            ],
        },
    )


def _confirm(
    request: HttpRequest, target: User, *, title: str, text: str, button: str, danger=True
):
    return render(
        request,
        "accounts/configuration_confirm.html",
        {"target": target, "title": title, "text": text, "button": button, "danger": danger},
    )


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@configuration_admin
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        try:
            services.user_deactivate(actor=request.user, user=target)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request, _("%(name)s can no longer sign in.") % {"name": target.username}
            )
        return redirect("org:user_detail", pk=target.pk)
    return _confirm(
        request,
        target,
        title=_("Deactivate this account?"),
        text=_(
            "The user will be signed out and can no longer sign in. Nothing is deleted: "
            "their history stays, and the account can be reactivated."
        ),
        button=_("Deactivate"),
    )


@configuration_admin
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        services.user_reactivate(actor=request.user, user=target)
        messages.success(request, _("%(name)s can sign in again.") % {"name": target.username})
        return redirect("org:user_detail", pk=target.pk)
    return _confirm(
        request,
        target,
        title=_("Reactivate this account?"),
        text=_("The user will be able to sign in again with the roles listed on their page."),
        button=_("Reactivate"),
        danger=False,
    )


@never_cache
@configuration_admin
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        path = services.user_reset_password(actor=request.user, user=target)
        return _show_link(request, target, path, created=False)
    return _confirm(
        request,
        target,
        title=_("Reset the password?"),
        text=_(
            "The current password stops working at once, the user is signed out everywhere "
            "and their API tokens are revoked. You get a one-time link to give the user, "
            "who follows it to choose a new password: you never know it."
        ),
        button=_("Reset the password"),
    )


@configuration_admin
def user_token_revoke(request: HttpRequest, pk: int, token_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    token = get_object_or_404(ApiToken, pk=token_id, user=target)
    if request.method == "POST":
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token revoked: it no longer works."))
        return redirect("org:user_detail", pk=target.pk)
    return render(request, "accounts/token_revoke.html", {"token": token, "target": target})


@configuration_admin
def membership_grant(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.membership_grant(
                actor=request.user,
                user=target,
                project=form.cleaned_data["project"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            names = {
                "name": target.username,
                "role": role_label(form.cleaned_data["role"]),
                "project": form.cleaned_data["project"].name,
            }
            if isinstance(result, RoleGrant):
                messages.info(
                    request,
                    _(
                        "%(role)s in %(project)s reads clinical content: a coordinator or the "
                        "medical referent of the project must approve it before %(name)s gets it."
                    )
                    % names,
                )
            else:
                messages.success(request, _("%(name)s is now %(role)s in %(project)s.") % names)
            return redirect("org:user_detail", pk=target.pk)
    return render(request, "accounts/configuration_grant.html", {"target": target, "form": form})


@configuration_admin
def membership_revoke(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    membership = get_object_or_404(
        Membership.objects.select_related("project"), pk=membership_id, user=target
    )
    if request.method == "POST":
        try:
            services.membership_revoke(actor=request.user, membership=membership)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Role removed."))
        return redirect("org:user_detail", pk=target.pk)
    return _confirm(
        request,
        target,
        title=_("Remove this role?"),
        text=_("%(role)s in %(project)s. The user keeps their other roles.")
        % {"role": role_label(membership.role), "project": membership.project.name},
        button=_("Remove the role"),
    )
