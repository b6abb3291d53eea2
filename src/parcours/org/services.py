"""Writes to the organisation: missions, projects, sites and activity types.

Every function validates, saves and records an audit event with the fields
changed (before, after). Updates carry an optimistic check: the caller may
pass ``original``, the values the editor was shown (``<entity>_values`` of
the row when the form was opened); when the row changed since, the update
is refused with :class:`StaleEdit`, which lists what changed.

Nothing is ever deleted: missions and projects are suspended or closed
(their data stays), sites are marked not in use.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.org.models import ActivityType, Mission, Project, Site, Status

PROJECT_CODE_RE = re.compile(r"^[A-Z]{2,6}\Z")
COORDINATE_STEP = Decimal("0.00001")

MISSION_FIELDS = ("name", "country", "status")
PROJECT_FIELDS = ("mission", "name", "code", "status", "description", "opened_on", "closed_on")
SITE_FIELDS = ("project", "name", "activity_types", "address", "latitude", "longitude", "is_active")
ACTIVITY_TYPE_FIELDS = ("code", "name_fr", "name_en")


class StaleEdit(Exception):
    """The row changed since the editor opened the form.

    ``changes`` maps each changed field to (value when the form was opened,
    value now); ``current`` is the row's values now, to sign into the form
    so that the next save is a deliberate one.
    """

    def __init__(self, instance: models.Model, changes: dict[str, tuple], current: dict):
        super().__init__(f"{instance._meta.label_lower} {instance.pk} changed since it was read")
        self.instance = instance
        self.changes = changes
        self.current = current


# -- values: what the editor saw, what the audit trail compares -------------


def _coordinate(value) -> str | None:
    if value is None or value == "":
        return None
    return str(Decimal(value).quantize(COORDINATE_STEP))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def mission_values(mission: Mission) -> dict[str, Any]:
    return {
        "name": mission.name,
        "country": mission.country.code if mission.country else "",
        "status": mission.status,
    }


def project_values(project: Project) -> dict[str, Any]:
    return {
        "mission": project.mission_id,
        "name": project.name,
        "code": project.code,
        "status": project.status,
        "description": project.description,
        "opened_on": _day(project.opened_on),
        "closed_on": _day(project.closed_on),
    }


def site_values(site: Site, activity_type_ids: Iterable[int] | None = None) -> dict[str, Any]:
    if activity_type_ids is None:
        activity_type_ids = site.activity_types.values_list("pk", flat=True) if site.pk else []
    return {
        "project": site.project_id,
        "name": site.name,
        "activity_types": sorted(activity_type_ids),
        "address": site.address,
        "latitude": _coordinate(site.latitude),
        "longitude": _coordinate(site.longitude),
        "is_active": site.is_active,
    }


def activity_type_values(activity_type: ActivityType) -> dict[str, Any]:
    return {
        "code": activity_type.code,
        "name_fr": activity_type.name_fr,
        "name_en": activity_type.name_en,
    }


# -- shared steps ---------------------------------------------------------


def _check_keys(data: dict, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _check_not_stale(instance, original: dict | None, current: dict) -> None:
    if original is None:
        return
    changes = {k: (original.get(k), v) for k, v in current.items() if original.get(k) != v}
    if changes:
        raise StaleEdit(instance, changes, current)


def _strip(data: dict, *fields: str) -> None:
    for field in fields:
        if isinstance(data.get(field), str):
            data[field] = data[field].strip()


def _field_errors(instance, exclude: Iterable[str] = ()) -> dict[str, list]:
    """Type, length and choice errors of the row's own fields, by field."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return {k: list(v) for k, v in error.message_dict.items()}
    return {}


def _raise(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list], field: str, message: str) -> None:
    errors.setdefault(field, [])
    if message not in errors[field]:
        errors[field].append(message)


def _lock(model: type[models.Model], pk: int):
    return model.objects.select_for_update().get(pk=pk)


def _save_and_record(
    *,
    actor,
    instance,
    event: Event,
    before: dict,
    values: Callable[[Any], dict],
    project=None,
    after_save: Callable[[], None] | None = None,
) -> dict:
    instance.save()
    if after_save:
        after_save()
    after = values(instance)
    if not before:  # a creation records the values given, not the empty ones
        after = {k: v for k, v in after.items() if v not in (None, "", [])}
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, event=event, subject=instance, project=project, changes=changes)
    return changes


# -- missions -------------------------------------------------------------


def _validate_mission(mission: Mission) -> None:
    errors = _field_errors(mission)
    if (
        mission.name
        and Mission.objects.filter(name__iexact=mission.name).exclude(pk=mission.pk).exists()
    ):
        _add(errors, "name", _("A mission with this name already exists."))
    _raise(errors)


@transaction.atomic
def mission_create(*, actor, data: dict[str, Any]) -> Mission:
    _check_keys(data, MISSION_FIELDS)
    data = dict(data)
    _strip(data, "name")
    mission = Mission(**data)
    _validate_mission(mission)
    _save_and_record(
        actor=actor, instance=mission, event=Event.MISSION_CREATE, before={}, values=mission_values
    )
    return mission


@transaction.atomic
def mission_update(
    *, actor, mission: Mission, data: dict[str, Any], original: dict | None = None
) -> Mission:
    _check_keys(data, MISSION_FIELDS)
    mission = _lock(Mission, mission.pk)
    before = mission_values(mission)
    _check_not_stale(mission, original, before)
    data = dict(data)
    _strip(data, "name")
    for field, value in data.items():
        setattr(mission, field, value)
    _validate_mission(mission)
    _save_and_record(
        actor=actor,
        instance=mission,
        event=Event.MISSION_UPDATE,
        before=before,
        values=mission_values,
    )
    return mission


# -- projects -------------------------------------------------------------


def _validate_project(project: Project) -> None:
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


def _prepare_project(project: Project, data: dict) -> None:
    _strip(data, "name", "code", "description")
    for field, value in data.items():
        setattr(project, field, value)
    if project.description is None:
        project.description = ""
    # Closing without a date records today's: reports need to know when.
    if project.status == Status.CLOSED and not project.closed_on:
        project.closed_on = timezone.localdate()


@transaction.atomic
def project_create(*, actor, data: dict[str, Any]) -> Project:
    _check_keys(data, PROJECT_FIELDS)
    project = Project()
    _prepare_project(project, dict(data))
    _validate_project(project)
    _save_and_record(
        actor=actor,
        instance=project,
        event=Event.PROJECT_CREATE,
        before={},
        values=project_values,
        project=project,
    )
    return project


@transaction.atomic
def project_update(
    *, actor, project: Project, data: dict[str, Any], original: dict | None = None
) -> Project:
    """Also how a project is suspended, closed or reopened: its data always stays."""
    _check_keys(data, PROJECT_FIELDS)
    project = _lock(Project, project.pk)
    before = project_values(project)
    _check_not_stale(project, original, before)
    _prepare_project(project, dict(data))
    _validate_project(project)
    _save_and_record(
        actor=actor,
        instance=project,
        event=Event.PROJECT_UPDATE,
        before=before,
        values=project_values,
        project=project,
    )
    return project


# -- sites ----------------------------------------------------------------


def _validate_site(site: Site) -> None:
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


def _prepare_site(site: Site, data: dict) -> list[int] | None:
    """Set the row's fields; return the activity type ids to set, if given."""
    _strip(data, "name", "address")
    activity_types = data.pop("activity_types", None)
    for field, value in data.items():
        setattr(site, field, value)
    if site.address is None:
        site.address = ""
    if activity_types is None:
        return None
    return sorted({a.pk if isinstance(a, ActivityType) else int(a) for a in activity_types})


def _site_after_save(site: Site, activity_type_ids: list[int] | None) -> Callable[[], None]:
    def after_save() -> None:
        if activity_type_ids is not None:
            site.activity_types.set(activity_type_ids)

    return after_save


@transaction.atomic
def site_create(*, actor, data: dict[str, Any]) -> Site:
    _check_keys(data, SITE_FIELDS)
    site = Site()
    activity_type_ids = _prepare_site(site, dict(data))
    _validate_site(site)
    _save_and_record(
        actor=actor,
        instance=site,
        event=Event.SITE_CREATE,
        before={},
        values=site_values,
        project=site.project,
        after_save=_site_after_save(site, activity_type_ids),
    )
    return site


@transaction.atomic
def site_update(*, actor, site: Site, data: dict[str, Any], original: dict | None = None) -> Site:
    """Also how a site is marked not in use (``is_active``): sites are never deleted."""
    _check_keys(data, SITE_FIELDS)
    site = _lock(Site, site.pk)
    before = site_values(site)
    _check_not_stale(site, original, before)
    activity_type_ids = _prepare_site(site, dict(data))
    _validate_site(site)
    _save_and_record(
        actor=actor,
        instance=site,
        event=Event.SITE_UPDATE,
        before=before,
        values=site_values,
        project=site.project,
        after_save=_site_after_save(site, activity_type_ids),
    )
    return site


# -- activity types -------------------------------------------------------


def _validate_activity_type(activity_type: ActivityType) -> None:
    errors = _field_errors(activity_type)
    if (
        activity_type.code
        and ActivityType.objects.filter(code=activity_type.code)
        .exclude(pk=activity_type.pk)
        .exists()
    ):
        _add(errors, "code", _("Another activity type already uses this code."))
    _raise(errors)


def _prepare_activity_type(activity_type: ActivityType, data: dict) -> None:
    _strip(data, "code", "name_fr", "name_en")
    if isinstance(data.get("code"), str):
        data["code"] = data["code"].lower()
    for field, value in data.items():
        setattr(activity_type, field, value)


@transaction.atomic
def activity_type_create(*, actor, data: dict[str, Any]) -> ActivityType:
    _check_keys(data, ACTIVITY_TYPE_FIELDS)
    activity_type = ActivityType()
    _prepare_activity_type(activity_type, dict(data))
    _validate_activity_type(activity_type)
    _save_and_record(
        actor=actor,
        instance=activity_type,
        event=Event.ACTIVITY_TYPE_CREATE,
        before={},
        values=activity_type_values,
    )
    return activity_type


@transaction.atomic
def activity_type_update(
    *,
    actor,
    activity_type: ActivityType,
    data: dict[str, Any],
    original: dict | None = None,
) -> ActivityType:
    _check_keys(data, ACTIVITY_TYPE_FIELDS)
    activity_type = _lock(ActivityType, activity_type.pk)
    before = activity_type_values(activity_type)
    _check_not_stale(activity_type, original, before)
    _prepare_activity_type(activity_type, dict(data))
    _validate_activity_type(activity_type)
    _save_and_record(
        actor=actor,
        instance=activity_type,
        event=Event.ACTIVITY_TYPE_UPDATE,
        before=before,
        values=activity_type_values,
    )
    return activity_type
