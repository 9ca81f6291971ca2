"""Sign-in, server-side sessions and login throttling."""

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.errors import InvalidCredentials, RateLimited
from deskpilot.core.raw_sql import fetch_on_own_connection, raw_statement
from deskpilot.core.security import new_token, token_hash, verify_password
from deskpilot.models import AuthSession, LoginFailure, User
from deskpilot.services.user_service import get_user_by_email

# An address may try a few accounts (a shared office NAT), so its limit is wider.
ADDRESS_LIMIT_FACTOR = 4


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    csrf_token: str
    expires_at: datetime


# Advisory locks in the two-int key space (the chat turn's use the bigint one): this
# namespace, then hashtext() of the account or address. A hash collision only makes two
# sign-ins wait for each other a moment.
_THROTTLE_LOCK_NAMESPACE = 0x4C4F47  # "LOG"

# Taking the account's lock, then the address's, serialises the count and the insert per
# account and per address; the lock order is always the same, so no deadlock. Recorded
# first: the row is the failure unless the password turns out right (then the account's
# failures are all deleted), so no more passwords are checked than the limit allows.
_LOCK_ACCOUNT_AND_ADDRESS = text(
    """
    SELECT pg_advisory_xact_lock(:namespace, hashtext('email:' || :email)),
           pg_advisory_xact_lock(:namespace, hashtext('ip:' || :ip))
    """
)
_RECORD_ATTEMPT_WITHIN_LIMITS = text(
    """
    INSERT INTO login_failures (email, ip_address)
    SELECT :email, :ip
    WHERE (SELECT count(*) FROM login_failures
           WHERE email = :email AND created_at > :since) < :email_limit
      AND (SELECT count(*) FROM login_failures
           WHERE ip_address = :ip AND created_at > :since) < :ip_limit
    RETURNING id
    """
)


async def _record_attempt(*, db: AsyncSession, settings: Settings, email: str, ip: str) -> None:
    """Count and record the attempt in one locked step and commit it, or raise RateLimited."""
    since = datetime.now(UTC) - timedelta(seconds=settings.login_window_seconds)
    keys = {"namespace": _THROTTLE_LOCK_NAMESPACE, "email": email, "ip": ip}
    await db.execute(_LOCK_ACCOUNT_AND_ADDRESS, keys)
    recorded = await db.scalar(
        _RECORD_ATTEMPT_WITHIN_LIMITS,
        {
            **keys,
            "since": since,
            "email_limit": settings.login_max_failures,
            "ip_limit": settings.login_max_failures * ADDRESS_LIMIT_FACTOR,
        },
    )
    # Either way the transaction ends here, which releases the locks before argon2 runs.
    if recorded is None:
        await db.rollback()
        raise RateLimited(
            "Too many failed sign-in attempts; try again later",
            retry_after=settings.login_window_seconds,
        )
    await db.commit()


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
    await _record_attempt(db=db, settings=settings, email=email_key, ip=ip)
    user = await get_user_by_email(db=db, email=email_key)
    # argon2 takes tens of ms of CPU: in a thread, so other requests go on meanwhile.
    valid = await asyncio.to_thread(verify_password, password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        raise InvalidCredentials("Email or password is incorrect")

    # Also deletes the row _record_attempt wrote for this attempt.
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


# Every signed-in request runs this, so it is built once and runs straight on asyncpg on a
# short autocommit connection (backend/deskpilot/core/raw_sql.py): no statement building, transaction
# or ORM loading per request (docs/benchmarks-history.md). The password hash stays out of it.
# The columns read and copied onto the two objects, named once so that the query and the
# copies cannot drift apart; the session's own created_at comes as signed_in_at.
_USER_COLUMNS = (
    "id",
    "email",
    "name",
    "role",
    "is_active",
    "ask_before_changes",
    "created_at",
    "updated_at",
)
_SESSION_COLUMNS = ("csrf_token", "expires_at", "ip_address", "user_agent")
_AUTHENTICATE = raw_statement(
    text(
        f"""
        SELECT {", ".join(f"u.{column}" for column in _USER_COLUMNS)},
               {", ".join(f"s.{column}" for column in _SESSION_COLUMNS)},
               s.created_at AS signed_in_at
        FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = :token_hash AND s.expires_at > now() AND u.is_active
        """
    )
)


async def authenticate(
    *, engine: AsyncEngine, settings: Settings, token: str
) -> tuple[User, AuthSession] | None:
    """The signed-in user and their auth session, or None. Both are read-only copies that
    belong to no ORM session (`engine` must be in autocommit mode)."""
    hashed = token_hash(token, settings.secret_key.get_secret_value())
    rows = await fetch_on_own_connection(engine, _AUTHENTICATE, {"token_hash": hashed})
    if not rows:
        return None
    row = rows[0]
    user = User(**{column: row[column] for column in _USER_COLUMNS})
    auth_session = AuthSession(
        token_hash=hashed,
        user_id=row.id,
        created_at=row.signed_in_at,
        **{column: row[column] for column in _SESSION_COLUMNS},
    )
    return user, auth_session


async def logout(*, db: AsyncSession, settings: Settings, token: str) -> None:
    await db.execute(
        delete(AuthSession).where(
            AuthSession.token_hash == token_hash(token, settings.secret_key.get_secret_value())
        )
    )
