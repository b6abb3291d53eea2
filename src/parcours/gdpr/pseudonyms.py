"""Stable pseudonyms: a keyed hash (HMAC-SHA256) of the person's id, with a
key kept outside the database (settings.PARCOURS_PSEUDONYM_KEY_FILE). The
same person always gets the same pseudonym; without the key nobody can go
back from a pseudonym to the person."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key() -> bytes:
    path = Path(settings.PARCOURS_PSEUDONYM_KEY_FILE)
    if not path.exists():
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                f"{path} is missing: pseudonymised exports need PARCOURS_PSEUDONYM_KEY_FILE"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"{path} holds no usable key (at least 32 characters)")
    return key.encode("utf-8")


def pseudonym(person_id: int, *, length: int = 12) -> str:
    digest = hmac.new(_key(), f"person:{person_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:length].upper()
