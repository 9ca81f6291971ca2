"""The login throttle under parallel attempts: at most the limit of passwords is checked."""

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import LoginFailure, User
from deskpilot.services import auth_service
from tests.conftest import LiveServer
from tests.support.factories import DEFAULT_PASSWORD

PARALLEL = 40


class VerifyCounter:
    """Counts the password checks the live server (same process) makes."""

    def __init__(self, real: Callable[[str, str | None], bool]) -> None:
        self._real = real
        self._lock = threading.Lock()
        self.calls = 0

    def __call__(self, password: str, password_hash: str | None) -> bool:
        with self._lock:
            self.calls += 1
        return self._real(password, password_hash)


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> VerifyCounter:
    counter = VerifyCounter(auth_service.verify_password)
    monkeypatch.setattr(auth_service, "verify_password", counter)
    return counter


async def _parallel_logins(base_url: str, bodies: list[dict[str, str]]) -> list[int]:
    # One client per attempt: separate connections, so the server really runs them at once.
    async def attempt(body: dict[str, str]) -> int:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            return (await client.post("/api/auth/login", json=body)).status_code

    return list(await asyncio.gather(*(attempt(body) for body in bodies)))


async def _failures(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(LoginFailure)) or 0)


async def test_parallel_wrong_passwords_for_one_account_check_at_most_the_limit(
    server: LiveServer,
    anon: httpx.AsyncClient,
    agent: User,
    db: AsyncSession,
    verified: VerifyCounter,
) -> None:
    server.configure(login_max_failures=5)
    bodies = [{"email": agent.email, "password": f"wrong-{i}"} for i in range(PARALLEL)]

    statuses = await _parallel_logins(server.base_url, bodies)

    assert verified.calls == 5
    assert statuses.count(401) == 5
    assert statuses.count(429) == PARALLEL - 5
    assert await _failures(db) == 5
    # The right password is refused too until the window has passed.
    right = {"email": agent.email, "password": DEFAULT_PASSWORD}
    blocked = await anon.post("/api/auth/login", json=right)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert verified.calls == 5


async def test_parallel_attempts_from_one_address_check_at_most_its_limit(
    server: LiveServer, db: AsyncSession, verified: VerifyCounter
) -> None:
    server.configure(login_max_failures=2)  # the address limit is 4x: 8
    bodies = [{"email": f"nobody{i}@example.com", "password": "x"} for i in range(PARALLEL)]

    statuses = await _parallel_logins(server.base_url, bodies)

    assert verified.calls == 8
    assert statuses.count(401) == 8
    assert statuses.count(429) == PARALLEL - 8
    assert await _failures(db) == 8


async def test_the_account_opens_again_once_its_failures_leave_the_window(
    server: LiveServer, anon: httpx.AsyncClient, agent: User, db: AsyncSession
) -> None:
    settings = server.configure(login_max_failures=3)
    bodies = [{"email": agent.email, "password": "bad"} for _ in range(10)]
    assert (await _parallel_logins(server.base_url, bodies)).count(401) == 3
    right = {"email": agent.email, "password": DEFAULT_PASSWORD}
    assert (await anon.post("/api/auth/login", json=right)).status_code == 429

    aged = datetime.now(UTC) - timedelta(seconds=settings.login_window_seconds + 1)
    await db.execute(update(LoginFailure).values(created_at=aged))
    await db.commit()

    assert (await anon.post("/api/auth/login", json=right)).status_code == 200
    # A successful sign-in clears the account's failures.
    assert await _failures(db) == 0
