"""Suspected duplicates: the queue, the side-by-side merge page and its
confirmation, and "not the same person". Only who may merge (identity merge
in the persons' projects) reaches them; everyone else gets a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.records import visible_flags
from parcours.access.scope import log_reads, may, may_on_person, person_for, projects_where
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.lib.forms import flash_errors
from parcours.people import merging
from parcours.people.duplicates import duplicate_pair_dismiss, suspected_pairs
from parcours.people.history import display_value
from parcours.people.models import CONTACT_FIELDS, Flag, Person
from parcours.people.presenters import codes_seen

CHOICE_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "name_original": gettext_lazy("Original script"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Date of birth"),
    "minority_appeal": gettext_lazy("Minority appeal"),
    "nationality": gettext_lazy("Nationality"),
    "phone": gettext_lazy("Phone"),
}
COMBINED_LABELS = {
    "languages": gettext_lazy("Languages"),
    "interpreter_needed": gettext_lazy("Needs an interpreter"),
    "contact_notes": gettext_lazy("How to reach"),
}


def _may_merge(user) -> None:
    if not may(user, Action.MERGE, Category.IDENTITY):
        raise Http404


@login_required
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    """Pairs of records that may be one person, most likely first."""
    _may_merge(request.user)
    paginator = Paginator(suspected_pairs(request.user), settings.PARCOURS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    ids = {pid for pair in page.object_list for pid in (pair.first_id, pair.second_id)}
    persons = Person.objects.prefetch_related("enrolments").in_bulk(ids)
    log_reads(request, [persons[pid] for pid in sorted(ids)], Read.IDENTITY_SUMMARY)
    seen = projects_where(request.user, Action.VIEW, Category.IDENTITY)
    rows = [
        {
            "sides": [_side(persons[pid], seen) for pid in (pair.first_id, pair.second_id)],
            "reasons": [{"label": r.label, "against": r.against} for r in pair.reasons],
            "keep_id": pair.first_id,
            "duplicate_id": pair.second_id,
        }
        for pair in page.object_list
    ]
    return render(request, "people/duplicate_queue.html", {"page": page, "rows": rows})


def _side(person: Person, seen: set[int]) -> dict:
    return {
        "id": person.pk,
        "name": person.display_name,
        "original": person.name_original,
        "codes": codes_seen(person, seen),
        "birth_date": person.birth_date,
        "approximate": person.age_is_approximate,
        "nationality": person.nationality.name if person.nationality else "",
        "sex": person.get_sex_display(),
    }


def _pair(request: HttpRequest, keep_id: int, duplicate_id: int):
    """Both records, if the user may merge each (404 otherwise), or a redirect
    with the reason a merge is refused."""
    _may_merge(request.user)
    keep = person_for(request.user, keep_id, action=Action.MERGE)
    duplicate = person_for(request.user, duplicate_id, action=Action.MERGE)
    refusal = None
    if keep.pk == duplicate.pk:
        refusal = _("A record cannot be merged with itself.")
    elif keep.merged_into_id or duplicate.merged_into_id:
        refusal = _("One of these records was already merged.")
    if refusal:
        messages.error(request, refusal)
        return None, None, redirect("people:duplicate_queue")
    return keep, duplicate, None


def _shown(user, person: Person, choice: str) -> str:
    value = display_value(choice, merging.field_value(person, choice))
    if choice == "birth_date" and person.birth_date:
        shown = date_format(person.birth_date, "SHORT_DATE_FORMAT")
        value = f"{shown} ({person.get_birth_date_precision_display()})"
    if choice == "minority_appeal" and person.assessed_age is not None:
        value = _("%(appeal)s; assessed age %(age)s") % {
            "appeal": value,
            "age": person.assessed_age,
        }
    return value


def _compare_rows(user, keep: Person, duplicate: Person, contact: bool, take) -> list[dict]:
    rows = []
    for choice in merging.FIELD_CHOICES:
        if choice in CONTACT_FIELDS and not contact:
            continue
        keep_empty = merging.is_empty(keep, choice)
        duplicate_empty = merging.is_empty(duplicate, choice)
        if keep_empty and duplicate_empty:
            continue
        keep_value, duplicate_value = _shown(user, keep, choice), _shown(user, duplicate, choice)
        rows.append(
            {
                "name": choice,
                "label": CHOICE_LABELS[choice],
                "keep": keep_value,
                "duplicate": duplicate_value,
                # A choice only where both have a value and the values differ.
                "choose": not keep_empty and not duplicate_empty and keep_value != duplicate_value,
                "from_duplicate": keep_empty and not duplicate_empty,
                "take": choice in take,
            }
        )
    return rows


def _lists(user, keep: Person, duplicate: Person, contact: bool) -> list[dict]:
    """What is joined rather than chosen: both sides are kept."""
    flag_labels = dict(Flag.choices)
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)

    def flags(person):
        return ", ".join(str(flag_labels[f]) for f in visible_flags(user, person)) or "—"

    rows = [
        {
            "label": _("Other names"),
            "keep": ", ".join(keep.aliases.values_list("name", flat=True)) or "—",
            "duplicate": ", ".join(duplicate.aliases.values_list("name", flat=True)) or "—",
        },
        {"label": _("Flags"), "keep": flags(keep), "duplicate": flags(duplicate)},
        {
            "label": _("Codes"),
            "keep": " ".join(codes_seen(keep, seen)) or "—",
            "duplicate": " ".join(codes_seen(duplicate, seen)) or "—",
        },
    ]
    for name, label in COMBINED_LABELS.items():
        if name in CONTACT_FIELDS and not contact:
            continue
        rows.append(
            {
                "label": label,
                "keep": display_value(name, getattr(keep, name)),
                "duplicate": display_value(name, getattr(duplicate, name)),
            }
        )
    return [row for row in rows if row["keep"] != "—" or row["duplicate"] != "—"]


def _versions_match(request: HttpRequest, keep: Person, duplicate: Person) -> bool:
    return request.POST.get("keep_version") == str(keep.version) and request.POST.get(
        "duplicate_version"
    ) == str(duplicate.version)


@login_required
def merge_compare(request: HttpRequest, keep_id: int, duplicate_id: int) -> HttpResponse:
    """Both records side by side, a choice per field, then a confirmation."""
    keep, duplicate, refused = _pair(request, keep_id, duplicate_id)
    if refused:
        return refused
    user = request.user
    contact = all(may_on_person(user, Action.VIEW, Category.CONTACT, p) for p in (keep, duplicate))
    take = [c for c in merging.FIELD_CHOICES if request.POST.get(c) == "duplicate"]
    if not contact:
        take = [c for c in take if c not in CONTACT_FIELDS]
    log_reads(request, [keep, duplicate], Read.IDENTITY)
    context = {
        "keep": _side(keep, projects_where(user, Action.VIEW, Category.IDENTITY)),
        "duplicate": _side(duplicate, projects_where(user, Action.VIEW, Category.IDENTITY)),
        "keep_version": keep.version,
        "duplicate_version": duplicate.version,
        "rows": _compare_rows(user, keep, duplicate, contact, take),
        "lists": _lists(user, keep, duplicate, contact),
        "swap_url": reverse("people:merge_compare", args=[duplicate.pk, keep.pk]),
    }
    if request.method != "POST":
        return render(request, "people/merge_compare.html", context)
    if not _versions_match(request, keep, duplicate):
        messages.error(
            request, _("One of the records changed since you opened this page: check again.")
        )
        return render(request, "people/merge_compare.html", context)
    try:
        plan = merging.merge_plan(keep, duplicate, take)
    except ValidationError as error:
        flash_errors(request, error)
        return render(request, "people/merge_compare.html", context)
    if request.POST.get("step") != "confirm":
        context.update(_confirmation(user, keep, duplicate, plan, contact, take))
        return render(request, "people/merge_confirm.html", context)
    try:
        merging.person_merge(actor=user, keep=keep, duplicate=duplicate, take=take)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return render(request, "people/merge_compare.html", context)
    messages.success(
        request,
        _(
            "%(duplicate)s was merged into this record; nothing of it was lost. "
            "The merge can be undone from the history."
        )
        % {"duplicate": duplicate.display_name},
    )
    return redirect("dossier:person", person_id=keep.pk)


def _confirmation(user, keep, duplicate, plan, contact: bool, take) -> dict:
    """The kept record as it will be, and what joins it."""
    labels = {**CHOICE_LABELS, **COMBINED_LABELS}
    after = Person(**{name: value for name, value in plan.values.items()})
    result = []
    for choice in [*merging.FIELD_CHOICES, *COMBINED_LABELS]:
        if choice in CONTACT_FIELDS and not contact:
            continue
        fields = merging.FIELD_CHOICES.get(choice, (choice,))
        result.append(
            {
                "label": labels[choice],
                "value": _shown(user, after, choice)
                if choice in merging.FIELD_CHOICES
                else display_value(choice, plan.values[choice]),
                "changed": any(f in plan.changes for f in fields),
                "from_duplicate": choice in plan.taken,
            }
        )
    keep_flags = set(keep.flags.values_list("flag", flat=True))
    shown_flags = visible_flags(user, duplicate)
    flag_labels = dict(Flag.choices)
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    keep_projects = set(keep.enrolments.values_list("project_id", flat=True))
    return {
        "result": result,
        "aliases": plan.aliases,
        "added_flags": [flag_labels[f] for f in shown_flags if f not in keep_flags],
        "moved_codes": [
            e.code
            for e in duplicate.enrolments.all()
            if e.project_id in seen and e.project_id not in keep_projects
        ],
        "take": take,
    }


@login_required
@require_POST
def not_same_person(request: HttpRequest, keep_id: int, duplicate_id: int) -> HttpResponse:
    """Remember that two records are two persons: the pair leaves the queue."""
    keep, duplicate, refused = _pair(request, keep_id, duplicate_id)
    if refused:
        return refused
    try:
        duplicate_pair_dismiss(actor=request.user, first=keep, second=duplicate)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(one)s and %(other)s are marked as two different persons.")
            % {"one": keep.display_name, "other": duplicate.display_name},
        )
    url = reverse("people:duplicate_queue")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
