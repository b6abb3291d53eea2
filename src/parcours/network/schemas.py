"""What the API reads and writes about the directory and the referrals."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from parcours.lib.api_schemas import MAX_ID, InputSchema
from parcours.lib.dates import EARLIEST, LATEST
from parcours.network.choices import (
    REFERRAL_CATEGORIES,
    SHAREABLE,
    Eligibility,
    ReferralKind,
    ReferralStatus,
    ServiceType,
)

MAX_VERSION = 2**31 - 1
Discipline = Literal[tuple(c.value for c in REFERRAL_CATEGORIES)]
Shareable = Literal[tuple(c.value for c in SHAREABLE)]


class ServiceQuery(InputSchema):
    q: str | None = Field(None, max_length=100, description="Words of the name, address or notes.")
    type: Literal[tuple(ServiceType.values)] | None = None
    city: str | None = Field(None, max_length=80)
    eligibility: Literal[tuple(Eligibility.values)] | None = None
    language: str | None = Field(None, max_length=3, description="ISO 639 code.")
    open_now: bool = False
    stale: bool = Field(False, description="Only entries not verified for 6 months.")
    format: Literal["json", "geojson"] = Field(
        "json", description="geojson: a GeoJSON FeatureCollection."
    )


class ServiceOut(Schema):
    id: int
    name: str
    type: str
    address: str
    city: str
    latitude: float | None
    longitude: float | None
    opening_hours: dict[str, list[list[str]]]
    languages: list[str]
    eligibility: list[str]
    phone: str
    email: str
    website: str
    contact: str
    notes: str
    last_verified_on: date | None
    needs_verification: bool


class ServiceListOut(Schema):
    count: int
    results: list[ServiceOut]


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


class ReferralIn(InputSchema):
    kind: Literal[tuple(ReferralKind.values)]
    category: Discipline | None = Field(
        None, description="The discipline you refer from (needed if you record several)."
    )
    service: int | None = Field(None, ge=1, le=MAX_ID, description="External: a directory service.")
    organisation: str | None = Field(
        None, max_length=160, description="External: another organisation, by name."
    )
    to_discipline: Discipline | None = Field(None, description="Internal: a discipline.")
    to_user: int | None = Field(None, ge=1, le=MAX_ID, description="Internal: a colleague.")
    categories: list[Shareable] = Field(
        default_factory=list, description="Shared beyond identity (external only)."
    )
    reason: str = Field(..., max_length=4000)
    follow_up_on: date | None = Field(None, ge=EARLIEST, le=LATEST)
    planned_for: datetime | None = Field(
        None, description="When the person will go (checked against the opening hours)."
    )


class ReferralPatchIn(InputSchema):
    version: int = Field(..., ge=1, le=MAX_VERSION, description="The version you read.")
    status: Literal[tuple(ReferralStatus.values)] | None = None
    on: date | None = Field(None, ge=EARLIEST, le=LATEST, description="Date of the new status.")
    note: str = Field("", max_length=255, description="Needed for done before accepted.")
    follow_up_on: date | None = Field(None, ge=EARLIEST, le=LATEST)


class ReferralQuery(InputSchema):
    mine: bool = Field(
        True, description="1: the referrals you made; 0: also those addressed to you."
    )
    overdue: bool = Field(False, description="Only those whose follow-up date has passed.")


class SharedItem(Schema):
    label: str
    value: str


class SharedSection(Schema):
    category: str
    label: str
    items: list[SharedItem]


class ReferralOut(Schema):
    id: int
    person: int
    project: int
    kind: str
    category: str
    to_discipline: str
    to_user: int | None
    service: int | None
    organisation: str
    reason: str
    shared_categories: list[str]
    shared: list[SharedSection] = Field(
        description="What the letter holds (external, consent in force), as you may read it."
    )
    consent_in_force: bool | None
    warnings: list[str]
    status: str
    sent_on: date
    accepted_on: date | None
    done_on: date | None
    refused_on: date | None
    lost_on: date | None
    status_note: str
    follow_up_on: date | None
    overdue: bool
    owner: int
    version: int


class ReferralListOut(Schema):
    count: int
    results: list[ReferralOut]


class ReferralStaleOut(Schema):
    detail: str
    current_version: int
