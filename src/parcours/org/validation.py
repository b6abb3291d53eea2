"""Checks on organisation rows before the services save them: each
``validate_<entity>`` raises a ValidationError with every field error at
once; ``prepare_<entity>`` normalises what was typed."""

import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.org.models import ActivityType, Mission, Project, Site, Status

PROJECT_CODE_RE = re.compile(r"^[A-Z]{2,6}\Z")
COORDINATE_STEP = Decimal("0.00001")


def _add(errors: dict[str, list], field: str, message: str) -> None:
    errors.setdefault(field, [])
    if message not in errors[field]:
        errors[field].append(message)


def _raise(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def _field_errors(instance, exclude: Iterable[str] = ()) -> dict[str, list]:
    """Type, length and choice errors of the row's own fields, by field."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return {k: list(v) for k, v in error.message_dict.items()}
    return {}


def strip_text(data: dict, *fields: str) -> None:
    for field in fields:
        if isinstance(data.get(field), str):
            data[field] = data[field].strip()


def validate_mission(mission: Mission) -> None:
    errors = _field_errors(mission)
    if (
        mission.name
        and Mission.objects.filter(name__iexact=mission.name).exclude(pk=mission.pk).exists()
    ):
        _add(errors, "name", _("A mission with this name already exists."))
    _raise(errors)


def validate_project(project: Project) -> None:
    errors = _field_errors(project, exclude=["code"])
    code = project.code or ""
    if not PROJECT_CODE_RE.fullmatch(code):
        _add(errors, "code", _("Use 2 to 6 capital letters (A to Z), e.g. CAL."))
    elif Project.objects.filter(code=code).exclude(pk=project.pk).exists():
        _add(errors, "code", _("Another project already uses the code %(code)s.") % {"code": code})
    if (
        project.mission_id
        and project.name
        and Project.objects.filter(mission_id=project.mission_id, name__iexact=project.name)
        .exclude(pk=project.pk)
        .exists()
    ):
        _add(errors, "name", _("This mission already has a project with this name."))
    if project.opened_on and project.closed_on and project.closed_on < project.opened_on:
        _add(errors, "closed_on", _("A project cannot close before it opens."))
    _raise(errors)


def prepare_project(project: Project, data: dict) -> None:
    strip_text(data, "name", "code", "description")
    for field, value in data.items():
        setattr(project, field, value)
    if project.description is None:
        project.description = ""
    # Closing without a date records today's: reports need to know when.
    if project.status == Status.CLOSED and not project.closed_on:
        project.closed_on = timezone.localdate()


def validate_site(site: Site) -> None:
    errors = _field_errors(site, exclude=["latitude", "longitude"])
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = getattr(site, field)
        if value is None:
            continue
        try:
            number = Decimal(value)
        except (ArithmeticError, TypeError, ValueError):
            _add(errors, field, _("Enter a number."))
            continue
        if not number.is_finite() or not -limit <= number <= limit:
            _add(
                errors,
                field,
                _("Enter a value between -%(limit)s and %(limit)s.") % {"limit": limit},
            )
        else:
            setattr(site, field, number.quantize(COORDINATE_STEP))
    if (site.latitude is None) != (site.longitude is None):
        _add(
            errors,
            "longitude" if site.longitude is None else "latitude",
            _("Give both latitude and longitude, or neither."),
        )
    if (
        site.project_id
        and site.name
        and Site.objects.filter(project_id=site.project_id, name__iexact=site.name)
        .exclude(pk=site.pk)
        .exists()
    ):
        _add(errors, "name", _("This project already has a site with this name."))
    _raise(errors)


def prepare_site(site: Site, data: dict) -> list[int] | None:
    """Set the row's fields; return the activity type ids to set, if given."""
    strip_text(data, "name", "address")
    activity_types = data.pop("activity_types", None)
    for field, value in data.items():
        setattr(site, field, value)
    if site.address is None:
        site.address = ""
    if activity_types is None:
        return None
    return sorted({a.pk if isinstance(a, ActivityType) else int(a) for a in activity_types})


def validate_activity_type(activity_type: ActivityType) -> None:
    errors = _field_errors(activity_type)
    if (
        activity_type.code
        and ActivityType.objects.filter(code=activity_type.code)
        .exclude(pk=activity_type.pk)
        .exists()
    ):
        _add(errors, "code", _("Another activity type already uses this code."))
    _raise(errors)


def prepare_activity_type(activity_type: ActivityType, data: dict) -> None:
    strip_text(data, "code", "name_fr", "name_en")
    if isinstance(data.get("code"), str):
        data["code"] = data["code"].lower()
    for field, value in data.items():
        setattr(activity_type, field, value)
