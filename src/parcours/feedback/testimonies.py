"""Testimonies for advocacy: who reads which, writing them, the review.

The use a testimony may be put to is read from the consent registry on
every request (the latest consent to testimony of the person: given, with
its use), so a withdrawal takes effect at the next request: the testimony
leaves every list, page and export. An anonymous testimony (no record of
the person) carries the use agreed at the interview, and its own
withdrawal.

- The protection team of the project (testimony view and create) reads
  every testimony in force, reviewed or not, with its text, and reviews
  them.
- Advocacy (testimony view, no create) reads only reviewed testimonies
  whose use is public (anonymised or identifiable), never the person's
  record; the name to quote only for identifiable use.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access import services as access_services
from parcours.access.models import Consent, ConsentKind, ConsentMethod, ConsentStatus, TestimonyUse
from parcours.access.module_scopes import testimony_review_projects
from parcours.access.scope import person_projects, projects_where
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.feedback.models import (
    TAG_FIELDS,
    TESTIMONY_MAX_LENGTH,
    PlaceType,
    Testimony,
    TestimonyStatus,
)
from parcours.feedback.references import new_reference
from parcours.feedback.validation import clean_text, is_readable
from parcours.lib.languages import language_name

PUBLIC_USES = (TestimonyUse.ANONYMISED_PUBLIC, TestimonyUse.IDENTIFIABLE_PUBLIC)


class StaleTestimony(Exception):
    def __init__(self, testimony):
        super().__init__(f"testimony {testimony.pk} is at version {testimony.version}")
        self.testimony = testimony


def with_use(queryset):
    """Annotate ``use_in_force``: the use agreed now, or "" when the consent
    was refused, withdrawn or never given (then the testimony is out)."""
    latest = Consent.objects.filter(
        person=OuterRef("person_id"), kind=ConsentKind.TESTIMONY
    ).order_by("-decided_at", "-id")
    return queryset.annotate(
        consent_status=Subquery(latest.values("status")[:1]),
        consent_use=Subquery(latest.values("use")[:1]),
    ).annotate(
        use_in_force=Case(
            When(
                person__isnull=True,
                withdrawn_at__isnull=True,
                then=Case(
                    When(anonymous_use="", then=Value(TestimonyUse.INTERNAL.value)),
                    default=F("anonymous_use"),
                ),
            ),
            When(person__isnull=True, then=Value("")),
            When(
                consent_status=ConsentStatus.GIVEN,
                then=Case(
                    When(consent_use="", then=Value(TestimonyUse.INTERNAL.value)),
                    default=F("consent_use"),
                ),
            ),
            default=Value(""),
            output_field=CharField(),
        )
    )


def protection_projects(user) -> set[int]:
    """Projects whose testimonies the user reads in full and records."""
    return projects_where(user, Action.VIEW, Category.TESTIMONY) & projects_where(
        user, Action.CREATE, Category.TESTIMONY
    )


def advocacy_projects(user) -> set[int]:
    """Projects whose reviewed, public-use testimonies the user reads."""
    return projects_where(user, Action.VIEW, Category.TESTIMONY) - protection_projects(user)


def visible_testimonies(user):
    """The testimonies in force the user reads, with ``use_in_force``."""
    full = protection_projects(user)
    reviewed = advocacy_projects(user)
    if not full and not reviewed:
        return Testimony.objects.none()
    rows = with_use(Testimony.objects.all()).exclude(use_in_force="")
    return rows.filter(
        Q(project_id__in=full)
        | Q(project_id__in=reviewed, status=TestimonyStatus.READY, use_in_force__in=PUBLIC_USES)
    ).select_related("project", "interviewer", "reviewed_by")


def exportable_testimonies(user):
    """What the anonymised export holds: reviewed, public use, in force, in
    the projects where the user may export testimonies."""
    projects = projects_where(user, Action.EXPORT, Category.TESTIMONY)
    if not projects:
        return Testimony.objects.none()
    return (
        with_use(Testimony.objects.filter(project_id__in=projects, status=TestimonyStatus.READY))
        .filter(use_in_force__in=PUBLIC_USES)
        .order_by("date", "id")
    )


def withdrawn_count(user) -> int:
    """Testimonies out of use in the projects the user reads in full."""
    full = protection_projects(user)
    if not full:
        return 0
    return with_use(Testimony.objects.filter(project_id__in=full)).filter(use_in_force="").count()


def may_review(user, testimony) -> bool:
    return testimony.project_id in testimony_review_projects(user)


def may_edit(user, testimony) -> bool:
    return testimony.project_id in (
        projects_where(user, Action.EDIT, Category.TESTIMONY) & protection_projects(user)
    )


def shows_attribution(testimony) -> bool:
    return getattr(testimony, "use_in_force", "") == TestimonyUse.IDENTIFIABLE_PUBLIC


# --- writing ----------------------------------------------------------------------


def _clean(data: dict, errors: dict, *, anonymous: bool) -> dict:
    values = {}
    text = clean_text(data.get("text"))
    if not text:
        errors["text"] = [_("Write the testimony.")]
    elif len(text) > TESTIMONY_MAX_LENGTH or not is_readable(text):
        errors["text"] = [
            _("A testimony of at most %(n)d characters of readable text.")
            % {"n": TESTIMONY_MAX_LENGTH}
        ]
    values["text"] = text
    day = data.get("date")
    today = timezone.localdate()
    if day is None:
        errors["date"] = [_("Give the date of the events (approximate if needed).")]
    elif day > today or day.year < 1990:
        errors["date"] = [_("A date between 1990 and today.")]
    values["date"] = day
    values["place"] = clean_text(data.get("place"))[:120]
    place_type = data.get("place_type") or ""
    if place_type not in ["", *PlaceType.values]:
        errors["place_type"] = [_("Choose a type of place from the list.")]
    values["place_type"] = place_type
    language = clean_text(data.get("language"))
    if language and language_name(language) is None:
        errors["language"] = [_("Unknown language code (ISO 639).")]
    values["language"] = language
    for name, choices in TAG_FIELDS.items():
        tags = list(dict.fromkeys(data.get(name) or []))
        if any(t not in choices.values for t in tags):
            errors[name] = [_("Choose tags from the list.")]
        values[name] = tags
    use = data.get("use") or ""
    if use not in TestimonyUse.values:
        errors["use"] = [_("Say how the person agreed the testimony may be used.")]
    elif anonymous and use == TestimonyUse.IDENTIFIABLE_PUBLIC:
        errors["use"] = [_("An anonymous testimony cannot be used with a name or photo.")]
    values["use"] = use
    attribution = clean_text(data.get("attribution"))[:200]
    if attribution and use != TestimonyUse.IDENTIFIABLE_PUBLIC:
        errors["attribution"] = [_("A name to quote is given only for identifiable use.")]
    if use == TestimonyUse.IDENTIFIABLE_PUBLIC and not attribution:
        errors["attribution"] = [
            _("Give the name or pseudonym the person agreed to be quoted under.")
        ]
    values["attribution"] = attribution
    method = data.get("consent_method") or ConsentMethod.ORAL_INTERPRETER
    if method not in ConsentMethod.values:
        errors["consent_method"] = [_("Say how the consent was obtained.")]
    values["consent_method"] = method
    return values


def _record_consent(actor, testimony, use, method, language):
    access_services.consent_record(
        actor=actor,
        person=testimony.person,
        kind=ConsentKind.TESTIMONY,
        status=ConsentStatus.GIVEN,
        method=method,
        use=use,
        language=language if language and len(language) <= 3 else "",
        note=_("Recorded with testimony %(reference)s") % {"reference": testimony.reference},
    )


@transaction.atomic
def testimony_record(*, actor, project, person=None, data: dict) -> Testimony:
    if project.pk not in protection_projects(actor):
        raise PermissionDenied(_("You do not record testimonies in this project."))
    errors: dict[str, list[str]] = {}
    if person is not None and project.pk not in person_projects(person):
        errors["person"] = [_("The person is not followed in this project.")]
    values = _clean(data, errors, anonymous=person is None)
    if errors:
        raise ValidationError(errors)
    use, method = values.pop("use"), values.pop("consent_method")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                testimony = Testimony.objects.create(
                    reference=new_reference("T-"),
                    project=project,
                    person=person,
                    interviewer=data.get("interviewer") or actor,
                    recorded_by=actor,
                    anonymous_use=use if person is None else "",
                    **values,
                )
            break
        except IntegrityError:
            continue
    if person is not None:
        _record_consent(actor, testimony, use, method, values["language"])
    audit.record(
        actor=actor,
        event=Event.TESTIMONY_RECORD,
        subject=testimony,
        project=project,
        extra={"anonymous": person is None, "use": use},
    )
    return testimony


def _locked(testimony) -> Testimony:
    return Testimony.objects.select_for_update(of=("self",)).get(pk=testimony.pk)


@transaction.atomic
def testimony_update(*, actor, testimony, version: int, data: dict) -> Testimony:
    """Edit a testimony; a reviewed one goes back to review."""
    if not may_edit(actor, testimony):
        raise PermissionDenied(_("You do not edit testimonies in this project."))
    current = _locked(testimony)
    if current.version != version:
        raise StaleTestimony(current)
    if not with_use(Testimony.objects.filter(pk=current.pk)).exclude(use_in_force="").exists():
        raise ValidationError(_("The consent to this testimony was withdrawn: it is out of use."))
    errors: dict[str, list[str]] = {}
    values = _clean(data, errors, anonymous=current.person_id is None)
    if errors:
        raise ValidationError(errors)
    use, method = values.pop("use"), values.pop("consent_method")
    current_use = with_use(Testimony.objects.filter(pk=current.pk)).get().use_in_force
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if use != current_use:
        changed.append("use")
    if data.get("interviewer") and data["interviewer"].pk != current.interviewer_id:
        current.interviewer = data["interviewer"]
        changed.append("interviewer")
    if not changed:
        return current
    for name, value in values.items():
        setattr(current, name, value)
    if current.person_id is None:
        current.anonymous_use = use
    elif use != current_use:
        _record_consent(actor, current, use, method, values["language"])
    review_withdrawn = current.status == TestimonyStatus.READY
    current.status = TestimonyStatus.TO_REVIEW
    current.reviewed_by = None
    current.reviewed_at = None
    current.version += 1
    current.save()
    audit.record(
        actor=actor,
        event=Event.TESTIMONY_UPDATE,
        subject=current,
        project=current.project,
        extra={"fields": changed, "review_withdrawn": review_withdrawn},
    )
    return current


@transaction.atomic
def testimony_review(*, actor, testimony, version: int, now=None) -> Testimony:
    """The protection lead checked the anonymisation: ready for advocacy."""
    if not may_review(actor, testimony):
        raise PermissionDenied(_("Only the protection team reviews testimonies."))
    current = _locked(testimony)
    if current.version != version:
        raise StaleTestimony(current)
    if current.status == TestimonyStatus.READY:
        return current
    current.status = TestimonyStatus.READY
    current.reviewed_by = actor
    current.reviewed_at = now or timezone.now()
    current.version += 1
    current.save()
    audit.record(
        actor=actor, event=Event.TESTIMONY_REVIEW, subject=current, project=current.project
    )
    return current


@transaction.atomic
def testimony_withdraw(*, actor, testimony, method: str = ConsentMethod.ORAL) -> None:
    """The person withdrew their consent: recorded in the registry (or on an
    anonymous testimony); it leaves every list and export at once."""
    if not may_edit(actor, testimony):
        raise PermissionDenied(_("You do not edit testimonies in this project."))
    current = _locked(testimony)
    if current.person_id is None:
        if current.withdrawn_at is None:
            current.withdrawn_at = timezone.now()
            current.version += 1
            current.save()
    else:
        access_services.consent_record(
            actor=actor,
            person=current.person,
            kind=ConsentKind.TESTIMONY,
            status=ConsentStatus.WITHDRAWN,
            method=method,
            note=_("Withdrawn from testimony %(reference)s") % {"reference": current.reference},
        )
    audit.record(
        actor=actor,
        event=Event.TESTIMONY_WITHDRAW,
        subject=current,
        project=current.project,
        extra={"anonymous": current.person_id is None},
    )
