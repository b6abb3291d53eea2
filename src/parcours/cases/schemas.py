"""Schemas of the pathways and cases API."""

from datetime import date, datetime

from ninja import Field, Schema

from parcours.lib.api_schemas import MAX_ID, InputSchema

MAX_VERSION = 2**31 - 1


class StepOut(Schema):
    key: str
    label: str
    discipline: str
    due_at: datetime | None
    done_at: datetime | None
    done: bool
    overdue: bool
    in_time: bool | None = Field(None, description="Done before its deadline (null: no deadline).")
    from_encounter: bool
    time_left: str = Field(..., description='E.g. "41 h left" (empty once done).')
    protocol: str


class PathwayOut(Schema):
    id: int
    kind: str
    label: str
    category: str
    project: int
    status: str
    event_at: datetime
    started_at: datetime
    gestational_weeks: int | None
    version: int
    steps: list[StepOut]


class PathwayListOut(Schema):
    count: int
    results: list[PathwayOut]


class CaseOut(Schema):
    id: int
    person: int
    person_name: str
    project: int
    worker: int
    risk_level: str
    needs: list[str]
    summary: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str
    version: int
    overdue_tasks: int


class CaseListOut(Schema):
    count: int
    results: list[CaseOut]


class CaseCreateIn(InputSchema):
    project: int = Field(..., ge=1, le=MAX_ID)
    worker: int = Field(..., ge=1, le=MAX_ID)
    risk_level: str = Field(..., description="low, moderate, high or critical")
    needs: list[str] = Field(..., max_length=12, description="Need codes, the most urgent first.")
    summary: str = Field("", max_length=2000)


class CasePatchIn(InputSchema):
    version: int = Field(..., ge=1, le=MAX_VERSION)
    worker: int | None = Field(None, ge=1, le=MAX_ID)
    risk_level: str | None = None
    needs: list[str] | None = Field(None, max_length=12)
    summary: str | None = Field(None, max_length=2000)


class TaskOut(Schema):
    id: int
    case: int
    title: str
    owner: int
    due_on: date
    status: str
    note: str
    overdue: bool
    version: int


class TaskListOut(Schema):
    count: int
    results: list[TaskOut]


class TaskCreateIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=255)
    owner: int = Field(..., ge=1, le=MAX_ID)
    due_on: date
    goal: int | None = Field(None, ge=1, le=MAX_ID)


class TaskPatchIn(InputSchema):
    version: int = Field(..., ge=1, le=MAX_VERSION)
    status: str | None = Field(None, description="open, in_progress, done or cancelled")
    note: str | None = Field(None, max_length=500)
    title: str | None = Field(None, min_length=1, max_length=255)
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: date | None = None


class TaskQuery(Schema):
    mine: bool = Field(
        True, description="Only your own tasks (default); 0: every task of the cases you see."
    )
    overdue: bool = False


class StaleOut(Schema):
    detail: str
    current_version: int
