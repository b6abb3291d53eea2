"""Schemathesis over every operation of the OpenAPI schema, as two roles.

For each operation, examples generated from the schema (valid and invalid
bodies, huge ids, odd strings) are sent in-process through the WSGI app with
the token of a Calais doctor and of a MEAL officer. Two properties must
hold for every response: no status ≥ 500, and a body that matches the
schema when the status is a documented one.

The examples are derandomised so that CI is deterministic; the number per
operation is bounded by PARCOURS_FUZZ_EXAMPLES (default 6) to keep CI within
its time (a longer local run: PARCOURS_FUZZ_EXAMPLES=200 uv run pytest
tests/api/test_fuzz.py). A failure it finds is fixed and its example kept
as a plain test beside the endpoint's other bad-input tests
(tests/api/test_bad_input.py).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from parcours.accounts.models import ApiToken
from parcours.wsgi import application

EXAMPLES = int(os.environ.get("PARCOURS_FUZZ_EXAMPLES", "6"))


@pytest.fixture
def _connection_kept():
    """Schemathesis calls the WSGI app itself, not through Django's test
    client: like that client, keep the test's database connection open
    across requests (Django closes it at the end of a request when it is
    inside a transaction, which the test is, on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded at collection: the schema is served without a token or a database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def tokens(world, _connection_kept):
    """A bearer token of two roles that see different things."""
    return [ApiToken.issue(user)[1] for user in (world.doctor, world.meal)]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_answer_matches_the_schema(case, tokens):
    for token in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
