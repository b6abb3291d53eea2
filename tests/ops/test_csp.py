"""The Content-Security-Policy: on every kind of answer, strict (nothing inline,
no other origin but the map tiles), kept true by the templates, and
``parcours check --deploy`` clean with the production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from parcours.lib.csp import tile_origins

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def _assert_strict(response):
    policy = _directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


@pytest.mark.parametrize(
    "path,status",
    [
        ("/", 200),
        ("/people/", 200),
        ("/referrals/services/map/", 200),
        ("/api/v1/openapi.json", 200),
        ("/no/such/page/", 404),
        ("/static/parcours/parcours.css", 200),
    ],
)
def test_signed_in_answers_carry_the_policy(client, world, path, status):
    client.force_login(world.coordinator)
    response = client.get(path)
    assert response.status_code == status
    _assert_strict(response)


def test_redirect_sign_in_page_and_api_refusal_carry_the_policy(client, db):
    redirect = client.get("/people/")
    assert redirect.status_code == 302
    _assert_strict(redirect)
    _assert_strict(client.get("/accounts/login/"))
    refused = client.get("/api/v1/persons")
    assert refused.status_code == 401
    _assert_strict(refused)
    _assert_strict(client.get("/healthz"))


def test_forbidden_answer_carries_the_policy(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    _assert_strict(response)


@override_settings(ROOT_URLCONF="tests.ops.boom_urls")
def test_server_error_carries_the_policy(client, world):
    client.raise_request_exception = False
    client.force_login(world.coordinator)
    response = client.get("/boom/")
    assert response.status_code == 500
    _assert_strict(response)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"), "inline <script>"),
    (re.compile(r"<style"), "<style> block"),
    (re.compile(r"\sstyle=\""), 'style="" attribute'),
    (re.compile(r"\son[a-z]+=\""), "on*= handler"),
    (re.compile(r"\bhx-on"), "hx-on handler (needs eval)"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for template in SRC.rglob("*.html"):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(SRC)}: {what}")
    assert found == []


def test_the_tile_server_origin_is_allowed_for_images():
    assert tile_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert tile_origins("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org"
    ]
    assert tile_origins("") == []
    assert tile_origins("/tiles/{z}/{x}/{y}.png") == []


def test_check_deploy_passes_with_production_settings(tmp_path):
    from parcours.lib.crypto import generate_key

    env = {
        **os.environ,
        "PARCOURS_ENV": "production",
        "PARCOURS_SECRET_KEY": secrets.token_urlsafe(50),
        "PARCOURS_ENCRYPTION_KEYS": generate_key(),
        "PARCOURS_ALLOWED_HOSTS": "parcours.example.org",
        "PARCOURS_HOME": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
