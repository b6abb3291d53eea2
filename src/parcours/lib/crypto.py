"""Authenticated encryption of text at rest (AES-256-GCM) with a key ring.

Keys live outside the database: ``settings.PARCOURS_ENCRYPTION_KEYS`` is a
list of ``"<id>:<base64url 32-byte key>"`` entries. The first one is the
*current* key and encrypts; every key in the list decrypts, so a key can be
rotated without downtime (see docs/encryption.md).

A ciphertext is stored as text::

    enc2:<key id>:<base64url(nonce(12) || ciphertext || tag(16))>

The *context* (for model fields ``"<app_label>.<model>.<field>"``: table and
column) and the *row* (the row's random row key, see
``parcours.lib.fields.RowKeyField``) are bound as associated data: a value
copied into another column or another row fails to decrypt instead of
showing one person's note in another place.

``enc1:`` values (context only, no row) are what earlier versions wrote;
they are still read (``decrypt`` without ``row``, or with
``PARCOURS_ENCRYPTION_READ_ENC1`` for model fields) until the data migration
or ``rotate_key`` rewrites them as ``enc2:``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc2"
LEGACY_PREFIX = "enc1"
PREFIXES = (PREFIX, LEGACY_PREFIX)
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_AAD_PREFIX = {LEGACY_PREFIX: b"parcours:enc1:", PREFIX: b"parcours:enc2:"}


class EncryptionError(Exception):
    """Base class: something about encrypted values or keys went wrong."""


class DecryptionError(EncryptionError):
    """A value could not be decrypted. Never carries the plaintext or key material."""


class UnknownKeyError(DecryptionError):
    """The value was encrypted under a key id that is not in the key ring."""


# --- key ring -----------------------------------------------------------------


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    # validate=True refuses stray characters instead of silently skipping them.
    return base64.b64decode(padded, altchars=b"-_", validate=True)


def parse_key_entry(entry: str) -> tuple[str, bytes]:
    """``"id:base64url-key"`` → (id, 32 key bytes); ImproperlyConfigured if malformed."""
    key_id, sep, encoded = entry.strip().partition(":")
    if not sep or not KEY_ID_PATTERN.match(key_id):
        raise ImproperlyConfigured(
            "Each encryption key must be written 'id:base64url-key' with an id of "
            "letters, digits, '.', '_' or '-' (at most 32); got an entry starting "
            f"with {key_id[:8]!r}"
        )
    try:
        key = _b64decode(encoded.strip())
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"Encryption key {key_id!r} is not valid base64url") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"Encryption key {key_id!r} is {len(key)} bytes; AES-256 needs {KEY_BYTES}"
        )
    return key_id, key


def split_key_entries(text: str) -> list[str]:
    """Entries from an environment value or a key file: commas or newlines
    separate them; blank lines and ``#`` comments are ignored."""
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        entries.extend(part.strip() for part in line.split(",") if part.strip())
    return entries


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: Mapping[str, bytes] = field(repr=False)

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> KeyRing:
        keys: dict[str, bytes] = {}
        for entry in entries:
            key_id, key = parse_key_entry(entry)
            if key_id in keys:
                raise ImproperlyConfigured(f"Encryption key id {key_id!r} appears twice")
            keys[key_id] = key
        if not keys:
            raise ImproperlyConfigured("PARCOURS_ENCRYPTION_KEYS holds no key")
        return cls(current_id=next(iter(keys)), keys=keys)

    def aead(self, key_id: str) -> AESGCM:
        try:
            return AESGCM(self.keys[key_id])
        except KeyError:
            raise UnknownKeyError(
                f"value is encrypted under key {key_id!r}, which is not in "
                "PARCOURS_ENCRYPTION_KEYS (was an old key removed before rotate_key finished?)"
            ) from None


_ring_cache: tuple[tuple[str, ...], KeyRing] | None = None


def get_key_ring() -> KeyRing:
    """The key ring from settings; rebuilt whenever the setting changes (tests)."""
    global _ring_cache
    from django.conf import settings

    entries = tuple(getattr(settings, "PARCOURS_ENCRYPTION_KEYS", None) or ())
    cached = _ring_cache
    if cached is not None and cached[0] == entries:
        return cached[1]
    ring = KeyRing.from_entries(entries)
    _ring_cache = (entries, ring)
    return ring


def current_key_id() -> str:
    return get_key_ring().current_id


def current_prefix() -> str:
    """What every value encrypted under the current key starts with."""
    return f"{PREFIX}:{current_key_id()}:"


def generate_key(key_id: str | None = None) -> str:
    """A new ``"id:key"`` entry; the default id says when it was made."""
    if key_id is None:
        key_id = f"{dt.date.today():%Y%m%d}-{secrets.token_hex(2)}"
    if not KEY_ID_PATTERN.match(key_id):
        raise ValueError("key id: 1 to 32 letters, digits, '.', '_' or '-'")
    return f"{key_id}:{_b64encode(secrets.token_bytes(KEY_BYTES))}"


# --- encrypt / decrypt --------------------------------------------------------


def _aad(context: str, row: str | None, version: str) -> bytes:
    if not context:
        raise ValueError("an encryption context is required")
    aad = _AAD_PREFIX[version] + context.encode("utf-8")
    if version == PREFIX:
        if not row:
            raise ValueError("an enc2 value is bound to a row: a row key is required")
        # NUL cannot occur in a context or a row key: the two parts cannot be
        # shifted into one another.
        aad += b"\x00" + row.encode("ascii")
    return aad


def encrypt(text: str, *, context: str, row: str | None = None) -> str:
    """Encrypt ``text`` under the current key, bound to ``context`` and, when
    given, ``row`` (``enc2:``). Without a row (values that live outside a table
    row, e.g. tests of the primitive) the value is ``enc1:``, bound to the context only."""
    if not isinstance(text, str):
        raise TypeError(f"encrypt() takes str, not {type(text).__name__}")
    version = PREFIX if row is not None else LEGACY_PREFIX
    ring = get_key_ring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.aead(ring.current_id).encrypt(
        nonce, text.encode("utf-8"), _aad(context, row, version)
    )
    return f"{version}:{ring.current_id}:{_b64encode(nonce + sealed)}"


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith((PREFIX + ":", LEGACY_PREFIX + ":"))


def version_of(token: str) -> str:
    """``"enc2"`` or ``"enc1"`` (no decryption)."""
    if not is_encrypted(token):
        raise DecryptionError(f"value is not an {PREFIX} ciphertext")
    return token.split(":", 1)[0]


def key_id_of(token: str) -> str:
    """The id of the key a ciphertext was made with (no decryption)."""
    version_of(token)
    key_id = token.split(":", 2)[1]
    if not KEY_ID_PATTERN.match(key_id) or token.count(":") != 2:
        raise DecryptionError("malformed ciphertext")
    return key_id


def decrypt(token: str, *, context: str, row: str | None = None, allow_enc1: bool = True) -> str:
    """The plaintext of ``token``; DecryptionError if it is not exactly what
    ``encrypt`` produced for this context (and row, for ``enc2:``) with a key
    we hold. ``allow_enc1=False`` refuses the older, row-less format, so that
    an old value cannot be pasted over a row-bound one."""
    key_id = key_id_of(token)
    version = version_of(token)
    if version == LEGACY_PREFIX and not allow_enc1:
        raise DecryptionError(
            f"value for {context!r} is in the old enc1 format (not bound to its row), "
            "which this installation no longer reads (PARCOURS_ENCRYPTION_READ_ENC1)"
        )
    if version == PREFIX and not row:
        raise DecryptionError(f"value for {context!r} is bound to a row but the row has no row key")
    aead = get_key_ring().aead(key_id)
    try:
        blob = _b64decode(token.split(":", 2)[2])
    except (binascii.Error, ValueError):
        raise DecryptionError("malformed ciphertext (bad base64)") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("malformed ciphertext (too short)")
    try:
        plain = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(context, row, version))
    except InvalidTag:
        raise DecryptionError(
            f"value under key {key_id!r} does not authenticate for {context!r}: "
            "wrong key material, altered value, or value copied from another column or row"
        ) from None
    return plain.decode("utf-8")


# --- settings helper ------------------------------------------------------------


def encryption_keys_setting(raw: str | None, *, production: bool, dev_keys_file: Path) -> list[str]:
    """The value of ``settings.PARCOURS_ENCRYPTION_KEYS``.

    ``raw`` is the environment value (``PARCOURS_ENCRYPTION_KEYS`` or the
    content of ``PARCOURS_ENCRYPTION_KEYS_FILE``). In production a missing
    key refuses to start; in development a key is generated once into
    ``dev_keys_file`` (mode 0600) so that a laptop works with zero setup.
    """
    if raw and raw.strip():
        entries = split_key_entries(raw)
        source = "PARCOURS_ENCRYPTION_KEYS"
    elif production:
        raise ImproperlyConfigured(
            "PARCOURS_ENCRYPTION_KEYS (or PARCOURS_ENCRYPTION_KEYS_FILE) is required in "
            "production; create a key with `parcours genkey`"
        )
    else:
        entries = split_key_entries(_read_or_create_dev_keys(dev_keys_file))
        source = str(dev_keys_file)
    if not entries:
        raise ImproperlyConfigured(f"{source} holds no encryption key")
    KeyRing.from_entries(entries)  # fail at start-up, not at the first note
    return entries


def _read_or_create_dev_keys(path: Path) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    content = (
        "# Development encryption keys (first one encrypts). Never use in production.\n"
        f"{generate_key()}\n"
    )
    # Write then link: a concurrent process either wins the link or reads a
    # complete file, never a half-written one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".encryption-keys-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="utf-8")
