import json

import pytest

from parcours.accounts.models import ApiToken


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
