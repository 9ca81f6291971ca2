"""Sign-in, server-side sessions and login throttling."""

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.config import Settings
from backend.core.errors import InvalidCredentials, RateLimited
from backend.core.security import new_token, token_hash, verify_password
from backend.models import AuthSession, LoginFailure, User
from backend.services.user_service import get_user_by_email

# An address may try a few accounts (a shared office NAT), so its limit is wider.
ADDRESS_LIMIT_FACTOR = 4


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    csrf_token: str
    expires_at: datetime


async def _check_throttle(*, db: AsyncSession, settings: Settings, email: str, ip: str) -> None:
    since = datetime.now(UTC) - timedelta(seconds=settings.login_window_seconds)
    by_email = await db.scalar(
        select(func.count()).where(LoginFailure.email == email, LoginFailure.created_at > since)
    )
    by_ip = await db.scalar(
        select(func.count()).where(LoginFailure.ip_address == ip, LoginFailure.created_at > since)
    )
    if (by_email or 0) >= settings.login_max_failures or (
        by_ip or 0
    ) >= settings.login_max_failures * ADDRESS_LIMIT_FACTOR:
        raise RateLimited(
            "Too many failed sign-in attempts; try again later",
            retry_after=settings.login_window_seconds,
        )


async def login(
    *,
    db: AsyncSession,
    settings: Settings,
    email: str,
    password: str,
    ip: str,
    user_agent: str | None,
) -> SignedIn:
    email_key = email.strip().lower()
    await _check_throttle(db=db, settings=settings, email=email_key, ip=ip)
    user = await get_user_by_email(db=db, email=email_key)
    # argon2 takes tens of ms of CPU: in a thread, so other requests go on meanwhile.
    valid = await asyncio.to_thread(verify_password, password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        db.add(LoginFailure(email=email_key, ip_address=ip))
        await db.commit()
        raise InvalidCredentials("Email or password is incorrect")

    await db.execute(delete(LoginFailure).where(LoginFailure.email == email_key))
    token, csrf = new_token(), secrets.token_urlsafe(24)
    expires_at = datetime.now(UTC) + timedelta(hours=settings.session_ttl_hours)
    db.add(
        AuthSession(
            token_hash=token_hash(token, settings.secret_key.get_secret_value()),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=expires_at,
            ip_address=ip,
            user_agent=(user_agent or "")[:400] or None,
        )
    )
    await db.flush()
    return SignedIn(user=user, token=token, csrf_token=csrf, expires_at=expires_at)


# Built once: building and cache-keying this statement per request cost as much CPU as
# running it (docs/benchmarks.md).
_AUTHENTICATE = (
    select(User, AuthSession)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        AuthSession.token_hash == bindparam("token_hash"),
        AuthSession.expires_at > func.now(),
        User.is_active.is_(True),
    )
)


async def authenticate(
    *, db: AsyncSession, settings: Settings, token: str
) -> tuple[User, AuthSession] | None:
    result = await db.execute(
        _AUTHENTICATE,
        {"token_hash": token_hash(token, settings.secret_key.get_secret_value())},
    )
    row = result.one_or_none()
    return (row[0], row[1]) if row else None


async def logout(*, db: AsyncSession, settings: Settings, token: str) -> None:
    await db.execute(
        delete(AuthSession).where(
            AuthSession.token_hash == token_hash(token, settings.secret_key.get_secret_value())
        )
    )
