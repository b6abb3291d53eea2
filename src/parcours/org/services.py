"""Writes to the organisation: missions, projects, sites and activity types.

Every function validates, saves and records an audit event with the fields
changed (before, after). Updates carry an optimistic check: the caller may
pass ``original``, the values the editor was shown (``<entity>_values`` of
the row when the form was opened); when the row changed since, the update
is refused with :class:`StaleEdit`, which lists what changed.

Nothing is ever deleted: missions and projects are suspended or closed
(their data stays), sites are marked not in use.
"""

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.org.models import ActivityType, Mission, Project, Site
from parcours.org.validation import (
    COORDINATE_STEP,
    prepare_activity_type,
    prepare_project,
    prepare_site,
    strip_text,
    validate_activity_type,
    validate_mission,
    validate_project,
    validate_site,
)

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


@transaction.atomic
def mission_create(*, actor, data: dict[str, Any]) -> Mission:
    _check_keys(data, MISSION_FIELDS)
    data = dict(data)
    strip_text(data, "name")
    mission = Mission(**data)
    validate_mission(mission)
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
    strip_text(data, "name")
    for field, value in data.items():
        setattr(mission, field, value)
    validate_mission(mission)
    _save_and_record(
        actor=actor,
        instance=mission,
        event=Event.MISSION_UPDATE,
        before=before,
        values=mission_values,
    )
    return mission


# -- projects -------------------------------------------------------------


@transaction.atomic
def project_create(*, actor, data: dict[str, Any]) -> Project:
    _check_keys(data, PROJECT_FIELDS)
    project = Project()
    prepare_project(project, dict(data))
    validate_project(project)
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
    prepare_project(project, dict(data))
    validate_project(project)
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


def _site_after_save(site: Site, activity_type_ids: list[int] | None) -> Callable[[], None]:
    def after_save() -> None:
        if activity_type_ids is not None:
            site.activity_types.set(activity_type_ids)

    return after_save


@transaction.atomic
def site_create(*, actor, data: dict[str, Any]) -> Site:
    _check_keys(data, SITE_FIELDS)
    site = Site()
    activity_type_ids = prepare_site(site, dict(data))
    validate_site(site)
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
    activity_type_ids = prepare_site(site, dict(data))
    validate_site(site)
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


@transaction.atomic
def activity_type_create(*, actor, data: dict[str, Any]) -> ActivityType:
    _check_keys(data, ACTIVITY_TYPE_FIELDS)
    activity_type = ActivityType()
    prepare_activity_type(activity_type, dict(data))
    validate_activity_type(activity_type)
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
    prepare_activity_type(activity_type, dict(data))
    validate_activity_type(activity_type)
    _save_and_record(
        actor=actor,
        instance=activity_type,
        event=Event.ACTIVITY_TYPE_UPDATE,
        before=before,
        values=activity_type_values,
    )
    return activity_type
