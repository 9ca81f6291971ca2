"""Deleting expired sign-in sessions and login failures that have left the throttle window.

Nothing reads either kind of row again (sign-in checks `expires_at > now()`, the throttle
counts failures inside its window), so they only grow the tables. A background task in each
server process prunes them once shortly after start and then about every
DESKPILOT_PRUNE_INTERVAL_SECONDS; an advisory lock lets one process prune at a time and the
others skip that round.
"""

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.db import session_factory
from deskpilot.models import AuthSession, LoginFailure

logger = logging.getLogger(__name__)

# The two-int advisory key space, as the login throttle's locks ("PRN").
_PRUNE_LOCK = text("SELECT pg_try_advisory_xact_lock(5263950, 0)")
# The first round waits a random part of the interval, at most this: processes started
# together do not all prune at once, and start-up is not slowed.
_FIRST_ROUND_MAX_DELAY_SECONDS = 30.0
_JITTER = 0.1  # each later round comes after the interval ± 10%


@dataclass(frozen=True)
class Pruned:
    sessions: int
    failures: int


async def prune_auth_records(*, db: AsyncSession, settings: Settings) -> Pruned | None:
    """Delete what has expired and commit; None when another process is pruning right now."""
    if not await db.scalar(_PRUNE_LOCK):
        await db.rollback()
        return None
    now = datetime.now(UTC)
    sessions = await db.execute(delete(AuthSession).where(AuthSession.expires_at <= now))
    window_start = now - timedelta(seconds=settings.login_window_seconds)
    failures = await db.execute(delete(LoginFailure).where(LoginFailure.created_at <= window_start))
    await db.commit()
    return Pruned(sessions=sessions.rowcount, failures=failures.rowcount)  # type: ignore[attr-defined]


async def _prune_once(settings: Settings) -> None:
    try:
        async with session_factory()() as db:
            pruned = await prune_auth_records(db=db, settings=settings)
    except Exception:
        # A database that is away for a while must not end the task: try again next round.
        logger.warning("Pruning expired sessions and login failures failed", exc_info=True)
        return
    if pruned and (pruned.sessions or pruned.failures):
        logger.info(
            "Pruned %d expired sessions and %d old login failures",
            pruned.sessions,
            pruned.failures,
        )


async def _prune_periodically(settings: Settings) -> None:
    interval = settings.prune_interval_seconds
    await asyncio.sleep(random.uniform(0, min(interval * _JITTER, _FIRST_ROUND_MAX_DELAY_SECONDS)))
    while True:
        await _prune_once(settings)
        await asyncio.sleep(interval * random.uniform(1 - _JITTER, 1 + _JITTER))


def start_pruning(settings: Settings) -> asyncio.Task[None] | None:
    """The periodic pruning task, or None when DESKPILOT_PRUNE_INTERVAL_SECONDS is 0."""
    if settings.prune_interval_seconds <= 0:
        return None
    return asyncio.create_task(_prune_periodically(settings), name="deskpilot-auth-pruning")


async def stop_pruning(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
