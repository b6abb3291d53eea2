import json

import pytest
from django.utils import translation

from parcours.accounts.models import ApiToken
from parcours.people import services as people_services
from parcours.people.models import PersonFlag
from tests.personas import PASSWORD, build_world


@pytest.fixture(scope="session", autouse=True)
def _audit_tables_flushable():
    """Transactional tests (live server, browser) empty every table after
    each test with Django's flush; the audit tables refuse it by trigger, so
    the test database's flush opens the audit gate around it, exactly as
    the retention purge does. Outside tests, ``flush`` stays refused."""
    from django.db import connections

    from parcours.audit.integrity import GATE_CLOSE, GATE_OPEN

    def gated(flush):
        def sql_flush(self, style, tables, **kwargs):
            statements = list(flush(self, style, tables, **kwargs))
            if "audit_auditevent" in tables or "audit_accesslog" in tables:
                statements = [GATE_OPEN, *statements, GATE_CLOSE]
            return statements

        return sql_flush

    originals = {type(c.ops): type(c.ops).sql_flush for c in connections.all()}
    for ops, flush in originals.items():
        ops.sql_flush = gated(flush)
    yield
    for ops, flush in originals.items():
        ops.sql_flush = flush


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English (the source language of the labels it
    compares) whatever the previous test's requests activated, and leaves
    nothing active behind: a request still picks its own language."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _meal_tokens_renewed_at_once(monkeypatch):
    """The MEAL cache's tokens are renewed once a write commits
    (meal/invalidation.py). A test runs in one transaction that never
    commits, so here they are renewed at once, as they are between two
    requests; tests marked ``tokens_on_commit`` keep the real timing for
    their own writes (``pytest_runtest_call`` below)."""
    from parcours.meal import invalidation

    monkeypatch.setattr(invalidation, "after_commit", lambda renew: renew())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A test marked ``tokens_on_commit``: what its fixtures wrote was
    renewed at once (as if committed before the test), its own writes are
    renewed by the commit callbacks it runs."""
    if item.get_closest_marker("tokens_on_commit") is None:
        yield
        return
    from django.db import transaction

    from parcours.meal import invalidation

    at_once = invalidation.after_commit
    invalidation.after_commit = transaction.on_commit
    try:
        yield
    finally:
        invalidation.after_commit = at_once


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign in with force_login; two-factor sign-in has its own tests
    # (tests/accounts/test_mfa.py), which turn it on.
    settings.PARCOURS_MFA = "off"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    """login(user) → the test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def make_person(world):
    """make_person(project=..., actor=..., **fields) → a Person created through the service."""

    def _make(project=None, actor=None, **fields):
        fields.setdefault("given_name", "Amanuel")
        fields.setdefault("family_name", "Tesfay")
        flags = fields.pop("flags", [])
        person = people_services.person_create(
            actor=actor or world.coordinator,
            project=project or world.calais,
            data=fields,
        )
        # Flags as the whole team would have recorded them, each by the
        # discipline allowed to (tests of that rule call the services).
        PersonFlag.objects.bulk_create([PersonFlag(person=person, flag=f) for f in flags])
        return person

    return _make


class ApiClient:
    """The test client speaking JSON with a bearer token (or none)."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path, body):
        return self._send(self.client.post, path, body)

    def patch(self, path, body):
        return self._send(self.client.patch, path, body)

    def _send(self, method, path, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return method(path, data, content_type="application/json", **self.headers)


@pytest.fixture
def api_as(client):
    """api_as(user) → an ApiClient with a fresh token of that user; api_as(None): no token."""

    def _as(user):
        if user is None:
            return ApiClient(client, None)
        _token, raw = ApiToken.issue(user)
        return ApiClient(client, raw)

    return _as
