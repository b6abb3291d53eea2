"""Needs versus services, per project: the needs assessed in the project's
social encounters over the last three months (counts of persons, never a
name) beside the directory's services that answer them near the project's
sites, so the gaps of the territory show."""

import math
from datetime import timedelta

from django.utils import timezone

from parcours.access.scope import projects_where
from parcours.access.terms import Action, Category
from parcours.care.choices import SOCIAL_NEEDS, Discipline
from parcours.care.models import Encounter
from parcours.network.choices import NEED_SERVICE_TYPES
from parcours.network.models import Service
from parcours.org.models import Site

PERIOD_DAYS = 91
NEAR_KM = 50


def needs_projects(user) -> set[int]:
    """Projects whose social needs the user may count: who aggregates or
    reads the social category there."""
    return projects_where(user, Action.AGGREGATE, Category.SOCIAL) | projects_where(
        user, Action.VIEW, Category.SOCIAL
    )


def _distance_km(lat1, lon1, lat2, lon2) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (lat1, lon1, lat2, lon2)))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(a))


def nearby_services(project) -> tuple[list[Service], bool]:
    """Active services within NEAR_KM of one of the project's sites; all of
    them (and False) when no site of the project has coordinates."""
    points = list(
        Site.objects.filter(
            project=project, latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")
    )
    services = list(Service.objects.filter(is_active=True))
    if not points:
        return services, False
    near = [
        s
        for s in services
        if s.latitude is not None
        and any(_distance_km(s.latitude, s.longitude, la, lo) <= NEAR_KM for la, lo in points)
    ]
    return near, True


def needs_versus_services(project, *, today=None) -> dict:
    today = today or timezone.localdate()
    since = today - timedelta(days=PERIOD_DAYS)
    encounters = Encounter.objects.filter(
        project=project,
        discipline=Discipline.SOCIAL,
        person__isnull=False,
        occurred_at__date__gte=since,
        social__isnull=False,
    ).values_list("person_id", "social__needs")
    persons: dict[str, set[int]] = {code: set() for code, _label in SOCIAL_NEEDS}
    for person_id, needs in encounters:
        for code in needs or []:
            if code in persons:
                persons[code].add(person_id)
    services, located = nearby_services(project)
    rows = []
    for code, label in SOCIAL_NEEDS:
        types = NEED_SERVICE_TYPES.get(code, ())
        answering = sorted((s for s in services if s.type in types), key=lambda s: (s.city, s.name))
        count = len(persons[code])
        rows.append(
            {
                "code": code,
                "label": label,
                "persons": count,
                "services": answering,
                "gap": count > 0 and not answering,
                "stale": sum(1 for s in answering if s.needs_verification(today)),
            }
        )
    rows.sort(key=lambda r: (-r["persons"], str(r["label"])))
    return {"since": since, "until": today, "rows": rows, "located": located, "near_km": NEAR_KM}
