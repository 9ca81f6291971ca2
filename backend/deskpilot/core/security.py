"""Passwords (argon2 via pwdlib) and random tokens."""

import hashlib
import hmac
import secrets
from functools import cache

from pwdlib import PasswordHash

_password_hash = PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps unknown-email logins as slow as wrong-password ones
    (made on first use, not at every start-up)."""
    return _password_hash.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _dummy_hash())
        return False
    return _password_hash.verify(password, password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str, secret_key: str) -> str:
    """Stored instead of the token, keyed so a leaked table alone cannot forge cookies."""
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()
