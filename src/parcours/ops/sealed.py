"""An encrypted, authenticated byte stream for backup archives.

Format (version 1)::

    PARCOURS-BACKUP-1\\n
    {"key_id": …, "salt": …, "created": …}\\n        header, one JSON line
    then chunks: length (4 bytes, big-endian) ‖ nonce (12) ‖ AES-256-GCM ciphertext

Each chunk's associated data binds the header, the chunk's index and
whether it is the last one, so chunks cannot be reordered, dropped or
appended, and a truncated archive is detected. The key is derived (HKDF)
from the installation's current encryption key with a random salt: the
archive holds no key, and restoring it needs the same key file (which the
encrypted fields need anyway). A key rotated out must be kept in the key
file as long as archives made under it are kept.
"""

from __future__ import annotations

import io
import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from parcours.lib import crypto

MAGIC = b"PARCOURS-BACKUP-1\n"
CHUNK = 1 << 20
MAX_HEADER = 4096


class ArchiveError(Exception):
    """The file is not a Parcours backup, was made with another key, or was
    altered or truncated. The message is for the operator."""


def _derive(key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"parcours-backup-v1").derive(
            key
        )
    )


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


class SealingWriter(io.RawIOBase):
    """A write-only file object that encrypts what is written to ``raw``."""

    def __init__(self, raw, *, created: str):
        super().__init__()
        ring = crypto.get_key_ring()
        salt = os.urandom(16)
        self._header = MAGIC + (
            json.dumps(
                {"key_id": ring.current_id, "salt": salt.hex(), "created": created},
                sort_keys=True,
            ).encode()
            + b"\n"
        )
        self._aead = _derive(ring.keys[ring.current_id], salt)
        self._raw = raw
        self._raw.write(self._header)
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plain, _aad(self._header, self._index, last))
        self._raw.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class OpeningReader(io.RawIOBase):
    """A read-only file object that decrypts and authenticates ``raw``
    chunk by chunk; raises ArchiveError on anything wrong."""

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        magic = raw.read(len(MAGIC))
        if magic != MAGIC:
            raise ArchiveError("not a Parcours backup archive (unknown format)")
        line = raw.readline(MAX_HEADER)
        try:
            meta = json.loads(line)
            key_id, salt = meta["key_id"], bytes.fromhex(meta["salt"])
        except (ValueError, KeyError, TypeError):
            raise ArchiveError("the archive's header is damaged") from None
        ring = crypto.get_key_ring()
        if key_id not in ring.keys:
            raise ArchiveError(
                f"the archive was made with encryption key {key_id!r}, which is not in "
                "this installation's key file (a foreign archive, or a key removed too early)"
            )
        self.meta = meta
        self._header = magic + line
        self._aead = _derive(ring.keys[key_id], salt)
        self._plain = b""
        self._pos = 0
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        head = self._raw.read(4)
        if len(head) < 4:
            raise ArchiveError("the archive is truncated (its last part is missing)")
        (length,) = struct.unpack(">I", head)
        if length > CHUNK + 64:
            raise ArchiveError("the archive is damaged (a part has an impossible size)")
        nonce = self._raw.read(12)
        sealed = self._raw.read(length)
        if len(nonce) < 12 or len(sealed) < length:
            raise ArchiveError("the archive is truncated")
        for last in (False, True):
            try:
                self._plain = self._aead.decrypt(
                    nonce, sealed, _aad(self._header, self._index, last)
                )
                self._pos = 0
            except InvalidTag:
                continue
            self._index += 1
            if last:
                self._done = True
                if self._raw.read(1):
                    raise ArchiveError("the archive has data after its end")
            return
        raise ArchiveError(
            "the archive does not decrypt: it was altered, or made by another installation"
        )

    def readinto(self, buffer) -> int:
        while self._pos >= len(self._plain):
            if self._done:
                return 0
            self._next_chunk()
        n = min(len(buffer), len(self._plain) - self._pos)
        buffer[:n] = self._plain[self._pos : self._pos + n]
        self._pos += n
        return n
