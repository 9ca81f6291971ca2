"""Expired sign-in sessions and login failures past the throttle window are deleted."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.db import session_factory
from deskpilot.main import create_app
from deskpilot.models import AuthSession, LoginFailure, User
from deskpilot.services.auth_pruning import prune_auth_records
from tests.conftest import make_settings
from tests.support.factories import make_user


async def _add_records(db: AsyncSession, user: User, settings: Settings) -> None:
    now = datetime.now(UTC)
    window = timedelta(seconds=settings.login_window_seconds)
    for name, expires_at in [("expired", now - timedelta(seconds=1)), ("live", now + window)]:
        db.add(AuthSession(token_hash=name, user_id=user.id, csrf_token="c", expires_at=expires_at))
    for name, created_at in [
        ("old", now - window - timedelta(seconds=1)),
        ("recent", now - window + timedelta(minutes=1)),
    ]:
        db.add(
            LoginFailure(email=f"{name}@example.com", ip_address="10.0.0.1", created_at=created_at)
        )
    await db.commit()


async def _remaining(db: AsyncSession) -> tuple[set[str], set[str]]:
    sessions = set(await db.scalars(select(AuthSession.token_hash)))
    failures = set(await db.scalars(select(LoginFailure.email)))
    return sessions, failures


async def _wait_for_pruning(db: AsyncSession, *, within_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_seconds
    # Rows leaving a table raise no event to wait on; poll.
    while await _remaining(db) != KEPT and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


KEPT = ({"live"}, {"recent@example.com"})
ALL = ({"expired", "live"}, {"old@example.com", "recent@example.com"})


async def test_expired_sessions_and_old_failures_are_deleted_and_live_ones_kept(
    db: AsyncSession, database_url: str
) -> None:
    settings = make_settings(database_url)
    await _add_records(db, await make_user(db, email="p@example.com"), settings)

    async with session_factory()() as pruning_db:
        pruned = await prune_auth_records(db=pruning_db, settings=settings)

    assert pruned is not None
    assert await _remaining(db) == KEPT


async def test_a_process_skips_pruning_while_another_is_at_it(
    db: AsyncSession, database_url: str
) -> None:
    settings = make_settings(database_url)
    await _add_records(db, await make_user(db, email="p@example.com"), settings)

    async with session_factory()() as first, session_factory()() as second:
        assert await prune_auth_records(db=first, settings=settings) is not None
        # Hold the lock as a process in the middle of its round would.
        assert await first.scalar(text("SELECT pg_try_advisory_xact_lock(5263950, 0)"))
        assert await prune_auth_records(db=second, settings=settings) is None
        await first.rollback()
        assert await prune_auth_records(db=second, settings=settings) is not None

    assert await _remaining(db) == KEPT


async def test_the_app_prunes_in_the_background_from_its_start(
    db: AsyncSession, database_url: str
) -> None:
    settings = make_settings(database_url, prune_interval_seconds=1)
    await _add_records(db, await make_user(db, email="p@example.com"), settings)
    assert await _remaining(db) == ALL
    app = create_app(settings, manage_engine=False)

    async with app.router.lifespan_context(app):
        # The first round comes within a tenth of the interval; allow a loaded machine.
        await _wait_for_pruning(db, within_seconds=15)

    assert await _remaining(db) == KEPT


def _pruning_tasks() -> set[asyncio.Task[object]]:
    return {t for t in asyncio.all_tasks() if t.get_name() == "deskpilot-auth-pruning"}


async def test_the_pruning_task_lives_with_the_app_and_can_be_turned_off(
    database_url: str,
) -> None:
    before = _pruning_tasks()  # the live server's, if a test started it
    app = create_app(make_settings(database_url, prune_interval_seconds=3600), manage_engine=False)
    async with app.router.lifespan_context(app):
        assert len(_pruning_tasks() - before) == 1
    assert _pruning_tasks() == before

    app = create_app(make_settings(database_url, prune_interval_seconds=0), manage_engine=False)
    async with app.router.lifespan_context(app):
        assert _pruning_tasks() == before
