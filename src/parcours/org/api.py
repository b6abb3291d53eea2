"""API: the projects a user works in and their sites."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from parcours.access.scope import working_projects
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS
from parcours.lib.api_schemas import MAX_ID
from parcours.org.models import Project, Site

router = Router(tags=["organisation"])


class MissionOut(Schema):
    id: int
    name: str
    country: str


class ProjectOut(Schema):
    id: int
    name: str
    code: str
    status: str
    mission: MissionOut


class SiteOut(Schema):
    id: int
    name: str
    project: int
    activity_types: list[str] = Field(..., description="Codes of the activity types.")
    address: str
    latitude: float | None
    longitude: float | None
    is_active: bool


class SiteQuery(Schema):
    project: int | None = Field(None, ge=1, le=MAX_ID, description="Only this project's sites.")


@router.get("/projects", response={200: list[ProjectOut], **AUTH_ERRORS})
def project_list(request: HttpRequest):
    """The projects the caller is a member of, whatever the role."""
    projects = Project.objects.filter(pk__in=working_projects(request.auth)).select_related(
        "mission"
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "code": p.code,
            "status": p.status,
            "mission": {
                "id": p.mission_id,
                "name": p.mission.name,
                "country": str(p.mission.country),
            },
        }
        for p in projects
    ]


@router.get("/sites", response={200: list[SiteOut], **AUTH_ERRORS, **FIELD_ERRORS})
def site_list(request: HttpRequest, filters: Query[SiteQuery]):
    """The sites of the projects the caller is a member of."""
    project_ids = working_projects(request.auth)
    if filters.project is not None:
        project_ids &= {filters.project}
    sites = Site.objects.filter(project_id__in=project_ids).prefetch_related("activity_types")
    return [
        {
            "id": s.pk,
            "name": s.name,
            "project": s.project_id,
            "activity_types": [t.code for t in s.activity_types.all()],
            "address": s.address,
            "latitude": s.latitude,
            "longitude": s.longitude,
            "is_active": s.is_active,
        }
        for s in sites
    ]
