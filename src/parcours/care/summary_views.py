"""Pages of the clinical summary: the whole summary, the form to add or edit
one item (or the pregnancy status), and ending an item.

Only who sees the medical category in full for the person reaches them;
adding and editing need the medical create or edit right in one of the
person's projects. Everyone else gets a 404, like a person that does not
exist. Every page showing the summary writes one access-log row.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.records import category_person_for
from parcours.access.scope import log_reads, parse_id
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.care import summary_services as services
from parcours.care.summary import clinical_summary
from parcours.care.summary_forms import FORMS
from parcours.care.summary_validation import FIELDS
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.people.presenters import person_card

STALE = gettext_lazy(
    "Someone changed this item after you opened it. Nothing was saved: here is the "
    "current version; make your change again if it is still needed."
)


@login_required
def summary_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = category_person_for(
        request.user, person_id, Category.MEDICAL, read=Read.CLINICAL_SUMMARY, request=request
    )
    context = {
        "card": person_card(request.user, person),
        "summary": clinical_summary(request.user, person),
        "kinds": [(kind, form.title) for kind, form in FORMS.items() if kind != "pregnancy"],
    }
    return render(request, "care/summary/page.html", context)


def _row(kind: str, person, item_id):
    model = services.MODELS[kind]
    if kind == "pregnancy":
        return model.objects.filter(person=person).first()
    if item_id in (None, ""):
        return None
    row = model.objects.filter(pk=parse_id(item_id), person=person).first()
    if row is None:
        raise Http404
    return row


def _initial(kind: str, row) -> dict:
    if row is None:
        return {}
    return {"version": row.version, **{name: getattr(row, name) for name in FIELDS[kind]}}


@login_required
def summary_item(request: HttpRequest, person_id: int) -> HttpResponse:
    """GET ?kind=…[&item=…]: the form to add (or edit) an item; POST: save it."""
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind") or "allergy"
    if kind not in FORMS:
        raise Http404
    item_id = source.get("item") or None
    action = Action.EDIT if item_id or kind == "pregnancy" else Action.CREATE
    person = category_person_for(
        request.user,
        person_id,
        Category.MEDICAL,
        action,
        read="" if request.method == "POST" else Read.CLINICAL_SUMMARY,
        request=request,
    )
    row = _row(kind, person, item_id)
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                _save(request, person, kind, row, form)
            except services.StaleItem as stale:
                # The current values, to check before making the change again.
                current = {k: "" if v is None else v for k, v in _initial(kind, stale.item).items()}
                form = form_class(current)
                form.is_valid()
                form.add_error(None, STALE)
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                flash_errors(request, error)
                return redirect("care:summary", person_id=person.pk)
            else:
                messages.success(request, _("The clinical summary is saved."))
                return redirect("care:summary", person_id=person.pk)
    else:
        form = form_class(initial=_initial(kind, row))
    context = {
        "card": person_card(request.user, person),
        "form": form,
        "kind": kind,
        "item": row if kind != "pregnancy" else None,
        "title": form_class.title,
    }
    if request.method == "POST":
        # Shown again after a refusal: the summary is read again.
        log_reads(request, [person], Read.CLINICAL_SUMMARY)
    return render(request, "care/summary/form.html", context)


def _save(request, person, kind: str, row, form) -> None:
    data = form.data_for_service()
    version = form.cleaned_data.get("version")
    if kind == "pregnancy":
        services.pregnancy_set(actor=request.user, person=person, version=version, data=data)
    elif row is None:
        services.summary_item_create(actor=request.user, person=person, kind=kind, data=data)
    else:
        services.summary_item_update(
            actor=request.user,
            person=person,
            kind=kind,
            item_id=row.pk,
            version=version if version is not None else -1,
            data=data,
        )


@login_required
@require_POST
def summary_end(request: HttpRequest, person_id: int) -> HttpResponse:
    """End an item today: a treatment stopped, an allergy or a condition no longer current."""
    person = category_person_for(request.user, person_id, Category.MEDICAL, Action.EDIT)
    kind = request.POST.get("kind", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if kind not in services.END_KINDS:
            raise ValidationError(_("Choose an item to end."))
        services.summary_item_end(
            actor=request.user,
            person=person,
            kind=kind,
            item_id=request.POST.get("item"),
            version=version,
        )
    except services.StaleItem:
        messages.error(request, STALE)
    except (PermissionDenied, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Ended today in the clinical summary."))
    return redirect("care:summary", person_id=person.pk)
