"""What the API reads and writes about persons.

The output schemas are filled from ``people.presenters.person_card``, which
the policy has already narrowed: a schema never receives a Person to decide
itself what to hide. ``contact`` is absent from the JSON (not null) when the
caller's role may not see contact details.
"""

from datetime import date
from typing import Any, Literal

from django_countries import countries
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from parcours.lib.api_schemas import MAX_ID, InputSchema
from parcours.people.ages import AGE_GROUPS
from parcours.people.models import DatePrecision, Flag, MinorityAppeal, Sex
from parcours.people.search import PersonFilters

SexCode = Literal[tuple(Sex.values)]
PrecisionCode = Literal[tuple(DatePrecision.values)]
MinorityAppealCode = Literal[tuple(MinorityAppeal.values)]
FlagCode = Literal[tuple(Flag.values)]

MAX_PAGE_SIZE = 100
# Person.version is a PositiveIntegerField.
MAX_VERSION = 2**31 - 1

# Text fields for which null means "empty".
TEXT_FIELDS = ("family_name", "name_original", "phone", "contact_notes", "nationality")


# --- input -----------------------------------------------------------------


class _PersonFields(InputSchema):
    """Fields a client may set. Names, codes and dates are checked by the
    same validation as the web forms (people.validation.clean_person_data)."""

    family_name: str | None = None
    name_original: str | None = Field(None, description="As the person writes it, e.g. محمد.")
    sex: SexCode = None
    birth_date: date | None = Field(None, description="ISO 8601 date, not in the future.")
    birth_date_precision: PrecisionCode = None
    minority_appeal: MinorityAppealCode = None
    assessed_age: int | None = Field(None, description="Age assessed by the authorities (0–110).")
    assessed_on: date | None = None
    nationality: str | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. ER.")
    languages: list[str] = Field(None, description="ISO 639-1 or 639-3 codes, e.g. ti, prs.")
    interpreter_needed: bool = None
    flags: list[FlagCode] = Field(None, description="Vulnerability flags.")
    aliases: list[str] = Field(None, description="Other names and spellings.")
    phone: str | None = Field(None, description="Only for roles that may record contact details.")
    contact_notes: str | None = Field(
        None, description="How to reach the person; same restriction as phone."
    )
    custom: dict[str, Any] | None = Field(
        None,
        description="The project's custom fields: code → value (text, number, "
        "YYYY-MM-DD date, true/false, a choice code or a list of codes); the codes and "
        "types of a project's form: GET /api/v1/projects/{id}/custom-fields. A wrong "
        'value answers 422 at ["body", "custom.<code>"].',
    )

    def service_data(self, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
        """The fields the client sent, as the people services expect them."""
        data = self.model_dump(exclude_unset=True, exclude=set(exclude))
        for field in TEXT_FIELDS:
            if field in data and data[field] is None:
                data[field] = ""
        return data


class PersonCreateIn(_PersonFields):
    project: int = Field(..., ge=1, le=MAX_ID, description="Project to register the person in.")
    given_name: str
    check_duplicates: bool = Field(
        False,
        description="Answer 409 with the likely duplicates the caller may see, if any.",
    )
    confirm_not_duplicate: bool = Field(
        False, description="The caller checked the duplicates: register anyway."
    )


class PersonPatchIn(_PersonFields):
    version: int = Field(
        ..., ge=1, le=MAX_VERSION, description="The version the client read (optimistic lock)."
    )
    given_name: str | None = None


class PersonQuery(InputSchema):
    """Filters of ``GET /persons``: no name here, so that a searched name is
    never in a URL (a proxy's or server's log, a browser's history); a name
    search is ``POST /persons/search``."""

    project: int | None = Field(
        None, ge=1, le=MAX_ID, description="One of your projects (another gives no one)."
    )
    active: Literal["yes", "no", "all", "true", "false"] = Field(
        "yes", description="Active list (yes, the default), left it (no), or everyone (all)."
    )
    sex: Literal[("", *Sex.values)] = ""
    age_group: Literal[("", *(code for code, _label, _low, _high in AGE_GROUPS))] = ""
    nationality: str = Field("", description="ISO 3166-1 alpha-2 code.")
    flag: Literal[("", *Flag.values)] = Field(
        "",
        description="A vulnerability flag of a category your role sees in full; "
        "another answers 422.",
    )
    page: int = Field(1, ge=1, description="Page number (with q in a search).")
    after: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Without q: the `next_after` of the previous page (paging by key).",
    )
    page_size: int = Field(25, ge=1, description=f"At most {MAX_PAGE_SIZE} (larger is capped).")

    @field_validator("nationality")
    @classmethod
    def _known_country(cls, value: str) -> str:
        value = value.strip().upper()
        if value and value not in dict(countries):
            raise PydanticCustomError(
                "value_error", "Unknown country code “{code}” (ISO 3166).", {"code": value}
            )
        return value

    def person_filters(self) -> PersonFilters:
        """The same filters as the people page's."""
        return PersonFilters(
            project=self.project,
            active={"yes": True, "true": True, "no": False, "false": False}.get(self.active),
            sex=self.sex,
            age_group=self.age_group,
            nationality=self.nationality,
            flag=self.flag,
        )


class PersonSearchIn(PersonQuery):
    """Body of ``POST /persons/search``: the same filters as ``GET /persons``
    and the searched name, which travels in the body only."""

    q: str = Field("", max_length=200, description="Name in any spelling or script, or a code.")


class ReadQuery(InputSchema):
    purpose: str = Field("", max_length=255, description="Why the record is read (access log).")


# --- output ----------------------------------------------------------------


class PersonSummary(Schema):
    id: int
    codes: list[str]
    given_name: str
    family_name: str
    name_original: str
    sex: str
    age: int | None
    nationality: str
    is_active: bool


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    truncated: bool = Field(
        False, description="The search matched too many persons; refine it to see them all."
    )
    results: list[PersonSummary]
    next_after: int | None = Field(
        None,
        description="Without q: send it as `after` for the next page (paging by key, as fast "
        "deep in the list as on the first page); null on the last page.",
    )


class ProjectCode(Schema):
    id: int
    name: str
    code: str


class CodeLabel(Schema):
    code: str
    label: str


class LanguageOut(Schema):
    code: str
    name: str


class GroupMemberOut(Schema):
    id: int
    name: str
    relation: str


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    relation: str
    members: list[GroupMemberOut]


class ContactOut(Schema):
    phone: str
    notes: str


class PersonOut(Schema):
    id: int
    version: int = Field(..., description="Send it back with PATCH.")
    codes: list[str]
    projects: list[ProjectCode]
    given_name: str
    family_name: str
    display_name: str
    name_original: str
    aliases: list[str]
    sex: str
    sex_label: str
    birth_date: date | None
    birth_date_precision: str
    birth_date_precision_label: str
    age: int | None
    age_group: str | None
    minority_appeal: str
    minority_appeal_label: str
    assessed_age: int | None
    assessed_on: date | None
    declared_age_at_assessment: int | None
    nationality: str
    nationality_name: str
    languages: list[LanguageOut]
    interpreter_needed: bool
    flags: list[CodeLabel]
    is_active: bool
    exit_date: date | None
    exit_reason: str
    exit_reason_label: str
    exit_note: str
    merged_into_id: int | None
    groups: list[GroupOut]
    may_edit: bool
    may_merge: bool
    may_audit: bool
    contact: ContactOut = Field(
        None, description="Present only when the caller's role may see contact details."
    )
    custom: dict[str, Any] = Field(
        default_factory=dict,
        description="The project's custom fields the caller sees in full (each field has "
        "a category): code → value; types: GET /api/v1/projects/{id}/custom-fields.",
    )


class DuplicateOut(Schema):
    person: PersonSummary
    score: int
    reasons: list[str]


class DuplicatesOut(Schema):
    detail: str
    duplicates: list[DuplicateOut]


class StaleOut(Schema):
    detail: str
    current_version: int
    changes: dict[str, list[Any]] = Field(
        ..., description="Field → [value when you read it, value now], for what changed since."
    )
