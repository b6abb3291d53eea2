"""The hash chain that makes the audit trail and the access log tamper-evident.

Each row carries ``chain_hash = sha256(previous row's chain_hash + the row's
content)``, so changing, removing or reordering a row breaks every link
after it; ``parcours audit verify`` recomputes the chain. The database
triggers (migration 0003) refuse UPDATE and DELETE; the chain catches what
gets past them (a superuser, a restored file edited by hand).

This module knows nothing of the models: it turns a row's values into the
bytes that are hashed, so that writing and verifying hash exactly the same
thing.
"""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64

# The fields hashed, per table, in this order. A new column added later is
# left out of older rows' hashes by listing it here only with a migration
# that re-seals (none so far).
AUDIT_EVENT_FIELDS = (
    "at",
    "actor_id",
    "event",
    "subject_type",
    "subject_id",
    "project_id",
    "changes",
    "extra",
)
ACCESS_LOG_FIELDS = ("at", "user_id", "person_id", "what", "purpose", "channel", "break_glass")


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


# json.dumps with these options builds an encoder per call; bulk writes seal
# tens of thousands of rows, so one encoder is kept (same options, same bytes).
_ENCODER = json.JSONEncoder(
    sort_keys=True,
    ensure_ascii=False,
    separators=(",", ":"),
    default=str,
)


def content(values: dict) -> bytes:
    """The bytes hashed for one row: its values as canonical JSON (sorted keys,
    no spaces, UTC timestamps to the microsecond)."""
    return _ENCODER.encode({name: _canonical(value) for name, value in values.items()}).encode()


def link(previous: str, row_content: bytes) -> str:
    return hashlib.sha256(previous.encode() + row_content).hexdigest()
