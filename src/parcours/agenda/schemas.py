"""What the API reads and writes about appointments.

The reason of an appointment is absent from the JSON (never null) when the
caller does not read its discipline's category in full (reception, other
disciplines): the agenda shows them the slot only.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from parcours.agenda.models import APPOINTMENT_DISCIPLINES, Status
from parcours.agenda.validation import MAX_DURATION, MIN_DURATION, REASON_MAX
from parcours.lib.api_schemas import MAX_ID, InputSchema
from parcours.lib.dates import EARLIEST, LATEST

# Appointment.version is a PositiveIntegerField.
MAX_VERSION = 2**31 - 1

AppointmentDiscipline = Literal[tuple(d.value for d in APPOINTMENT_DISCIPLINES)]
StatusCode = Literal[tuple(Status.values)]
HandStatus = Literal[tuple(s for s in Status.values if s != Status.SEEN)]


class AppointmentCreateIn(InputSchema):
    person: int = Field(..., ge=1, le=MAX_ID, description="A person you may see.")
    discipline: AppointmentDiscipline
    site: int = Field(..., ge=1, le=MAX_ID, description="A site of the person's project.")
    clinician: int | None = Field(
        None, ge=1, le=MAX_ID, description="A user who records this discipline there (optional)."
    )
    starts_at: datetime
    duration_minutes: int = Field(30, ge=MIN_DURATION, le=MAX_DURATION)
    reason: str = Field("", max_length=REASON_MAX)


class AppointmentPatchIn(InputSchema):
    version: int = Field(
        ..., ge=1, le=MAX_VERSION, description="The version the client read (optimistic lock)."
    )
    site: int | None = Field(None, ge=1, le=MAX_ID)
    clinician: int | None = Field(None, ge=1, le=MAX_ID, description="null: no clinician.")
    starts_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=MIN_DURATION, le=MAX_DURATION)
    reason: str | None = Field(None, max_length=REASON_MAX)
    status: HandStatus | None = Field(
        None, description="planned, arrived, missed or cancelled (seen: by an encounter)."
    )


class AppointmentQuery(InputSchema):
    site: int | None = Field(None, ge=1, le=MAX_ID)
    clinician: int | None = Field(None, ge=1, le=MAX_ID)
    person: int | None = Field(None, ge=1, le=MAX_ID)
    status: StatusCode | None = None
    date_from: date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="First day (default: today)."
    )
    date_to: date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="Last day (default: 7 days after date_from)."
    )


class AppointmentOut(Schema):
    id: int
    person: int
    person_name: str
    discipline: str
    category: str
    project: int
    site: int
    site_name: str
    clinician: int | None
    clinician_name: str
    starts_at: datetime
    duration_minutes: int
    status: str
    reason: str | None = Field(None, description="Absent when not yours to read.")
    follow_up_of: int | None = None
    encounter: int | None = None
    version: int
    warnings: list[str] = Field(
        default_factory=list, description="After a write: double bookings of the clinician."
    )


class AppointmentListOut(Schema):
    count: int
    results: list[AppointmentOut]


class AppointmentStaleOut(Schema):
    detail: str
    current_version: int
