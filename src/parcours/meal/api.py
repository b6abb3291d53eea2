"""API: the MEAL indicators of a project, their values and the exports.

Figures only: no response carries a name or a person id. An indicator or a
project whose figures the caller may not read answers 404, like one that
does not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from parcours.access.module_scopes import figure_categories
from parcours.access.scope import parse_id
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import MAX_ID
from parcours.meal import engine, exports
from parcours.meal.access import figure_project_ids
from parcours.meal.models import Indicator
from parcours.meal.periods import PeriodError, last_complete_month, parse_period
from parcours.org.models import Project

router = Router(tags=["meal"])

READ_ERRORS = {**AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS}


class LevelOut(Schema):
    id: int
    level: str
    code: str


class IndicatorOut(Schema):
    id: int
    project: int
    code: str
    name: str
    name_fr: str
    name_en: str
    kind: str = Field(..., description="computed, manual or narrative.")
    type: str = Field(..., description="quantitative or qualitative.")
    measure: str = Field(..., description="count, persons, sum or ratio (computed only).")
    unit: str
    frequency: str
    level: LevelOut | None
    disaggregations: list[str] = Field(..., description="Dimensions offered to this caller.")


class IndicatorQuery(Schema):
    project: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this project's indicators."
    )


class ValuesQuery(Schema):
    period: str = Field(
        "",
        description="2026-10 (month), 2026-Q4, 2026 or 2026-10-01..2026-12-31; "
        "the last complete month when empty.",
    )
    disaggregate: str = Field("", description="Comma-separated dimensions, e.g. sex,age_group.")
    outside: bool = Field(
        False, description="Figures meant to leave the organisation: small cells suppressed."
    )


class ValueOut(Schema):
    indicator: str = Field(..., description="The indicator's code.")
    indicator_id: int
    period: str
    period_start: str
    period_end: str
    total: float | None = Field(
        ..., description="None: “—” (zero denominator, no value) or suppressed."
    )
    total_display: str
    target: float | None
    achieved_pct: float | None
    suppressed: bool = Field(..., description="Some figure was hidden (fewer than 5 persons).")
    dimensions: list[str]
    values: list[dict] = Field(
        ...,
        description="One object per cell: its dimension values, value (None when "
        "suppressed or undefined), display and suppressed.",
    )
    text: str = ""
    comment: str = ""


class ExportQuery(Schema):
    project: int = Field(..., ge=1, le=MAX_ID)
    period: str = Field("", description="As for values; DHIS2 needs a month, quarter or year.")
    outside: bool | None = Field(
        None,
        description="Small cells suppressed (figures leaving the organisation); "
        "on by default for the advocacy role.",
    )


def _query_errors(field: str, message: str):
    return Status(
        422, {"detail": [{"loc": ["query", field], "msg": message, "type": "value_error"}]}
    )


def _indicator_out(ind: Indicator) -> dict:
    from parcours.meal.definitions import offered_dimensions

    dims = (
        offered_dimensions(ind.definition_dict(), ind.disaggregations or None)
        if ind.is_computed
        else ()
    )
    return {
        "id": ind.pk,
        "project": ind.project_id,
        "code": ind.code,
        "name": ind.name,
        "name_fr": ind.name_fr,
        "name_en": ind.name_en,
        "kind": ind.kind,
        "type": ind.type,
        "measure": ind.measure if ind.is_computed else "",
        "unit": ind.unit,
        "frequency": ind.frequency,
        "level": (
            {"id": ind.objective.pk, "level": ind.objective.level, "code": ind.objective.code}
            if ind.objective_id
            else None
        ),
        "disaggregations": list(dims),
    }


@router.get("/meal/indicators", response={200: list[IndicatorOut], **READ_ERRORS})
def indicator_list(request: HttpRequest, filters: Query[IndicatorQuery]):
    """The active indicators of the caller's projects (or of ``project``) whose
    figures the caller may read. A project where they read none: 404."""
    projects = figure_project_ids(request.auth)
    if filters.project is not None:
        if filters.project not in projects:
            raise Http404
        projects = {filters.project}
    indicators = (
        Indicator.objects.filter(project_id__in=projects, is_active=True)
        .select_related("objective")
        .order_by("project_id", "order", "code")
    )
    return [_indicator_out(ind) for ind in indicators if engine.may_read(request.auth, ind)]


def _readable_indicator(user, indicator_id) -> Indicator:
    pk = parse_id(indicator_id)
    ind = (
        Indicator.objects.filter(pk=pk, project_id__in=figure_project_ids(user))
        .select_related("project", "objective")
        .first()
    )
    if ind is None or not engine.may_read(user, ind):
        raise Http404
    return ind


@router.get(
    "/meal/indicators/{id}/values",
    response={200: ValueOut, **READ_ERRORS},
    url_name="meal_indicator_values",
)
def indicator_values(
    request: HttpRequest,
    id: Path[int],  # noqa: A002 (the name the path gives it)
    filters: Query[ValuesQuery],
):
    """The indicator's figure for a period, disaggregated on request. Advocacy
    (and ``outside=true``) sees small cells suppressed ("<5")."""
    ind = _readable_indicator(request.auth, id)
    try:
        period = parse_period(filters.period) if filters.period else last_complete_month()
    except PeriodError as error:
        return _query_errors("period", f"{error}")
    dims = [d.strip() for d in filters.disaggregate.split(",") if d.strip()]
    try:
        result = engine.compute(
            ind, period, user=request.auth, disaggregate=dims, outside=filters.outside
        )
    except PermissionDenied:
        raise Http404 from None
    except engine.EngineError as error:
        return _query_errors("disaggregate", str(error))
    data = result.as_dict()
    return {
        "indicator": ind.code,
        "indicator_id": ind.pk,
        "period": data["period"],
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "total": data["total"],
        "total_display": data["total_display"],
        "target": data["target"],
        "achieved_pct": data["achieved_pct"],
        "suppressed": data["suppressed"],
        "dimensions": data["dimensions"],
        "values": data["values"],
        "text": data["text"],
        "comment": data["comment"],
    }


class ExportErrorOut(Schema):
    detail: str
    missing: list[str] = Field(..., description="The codes to set in the export mapping.")


@router.get(
    "/meal/exports/{format}",
    response={200: None, **AUTH_ERRORS, 404: ErrorOut, 409: ExportErrorOut, **FIELD_ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file: text/csv (HXL), application/adx+xml (ADX) or "
                "application/json (dataValueSets).",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/adx+xml": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            }
        }
    },
)
def export_file(
    request: HttpRequest,
    format: Path[str],  # noqa: A002 (the name the path gives it)
    filters: Query[ExportQuery],
):
    """The project's indicators for a period in ``hxl`` (HXL-tagged CSV),
    ``adx`` (DHIS2 ADX XML) or ``datavaluesets`` (DHIS2 JSON), with the codes
    of the export mapping. A missing code: 409 naming every missing code,
    no file. Advocacy always gets small cells suppressed."""
    fmt = format
    if fmt not in exports.FORMATS:
        raise Http404
    user = request.auth
    if filters.project not in figure_project_ids(user):
        raise Http404
    project = Project.objects.get(pk=filters.project)
    try:
        period = parse_period(filters.period) if filters.period else last_complete_month()
    except PeriodError as error:
        return _query_errors("period", str(error))
    exact, _small = figure_categories(user, project)
    outside = True if not exact else bool(filters.outside)
    try:
        content, content_type, name = exports.export(
            fmt, project, period, user=user, outside=outside
        )
    except PermissionDenied:
        raise Http404 from None
    except exports.ExportError as error:
        return Status(409, {"detail": str(error), "missing": error.missing})
    audit.record(
        actor=user,
        event=Event.MEAL_EXPORT,
        subject=project,
        project=project,
        extra={"format": fmt, "period": period.code, "outside": outside, "channel": "api"},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
