"""Types shared by the routers of the API."""

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

# Largest primary key (BigAutoField): a larger id in a request is refused by
# the schema (422) instead of overflowing the database driver.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class InputSchema(Schema):
    """Base of what clients send: unknown fields are refused, and so are NUL
    characters (PostgreSQL cannot store them; the web forms refuse them too)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise PydanticCustomError("string_nul", "Null characters are not allowed.")
        return value
