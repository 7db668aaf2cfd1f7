"""Room codes, presenter keys, and the ids the app hands the store.

A code is read off a projector and typed on a phone, so it is short and has no look-alike
characters (no 0/O, 1/I/L). The presenter key is a secret shown once: the store keeps only
its sha256, so a copy of the store's data cannot be used to drive a room.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: 31**5 is about 28.6 million codes
CODE_LENGTH = 5
_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
# Session and question ids are made by the app, never typed: they become parts of Redis keys.
_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def new_code() -> str:
    """A random room code (the store retries on a collision)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: object) -> str | None:
    """The code as stored (upper case, no spaces), or None when it cannot be one."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    return code if _CODE.fullmatch(code) else None


def new_key() -> str:
    """A presenter key: 18 random bytes, URL-safe so it can sit in a link."""
    return secrets.token_urlsafe(18)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()  # a junk key from a link must not raise


def key_matches(stored_hash: str | None, key: object) -> bool:
    """Whether ``key`` is the room's key; constant-time, so timing does not leak the hash."""
    if not stored_hash or not isinstance(key, str):
        return False
    return hmac.compare_digest(stored_hash, key_hash(key))


def check_id(kind: str, value: object) -> str:
    """``value`` if it is a well-formed session or question id; a malformed one is the app's bug."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"a {kind} id is 1-64 letters, digits, '_', '.' or '-'")
    return value
