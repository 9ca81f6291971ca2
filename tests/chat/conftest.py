"""Fixtures for the chat suite: signed-in clients without the argon2 login, a quick table
cleanup, a second user, and one fake model server per provider for the whole run (reset
before each test).

Signing in through /api/auth/login verifies an argon2 hash (~0.3 s, on purpose); login is
tested in tests/api. Here the server-side session row is written directly, the way
auth_service.login writes it.
"""

import asyncio
import contextlib
import os
import secrets
import socket
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.deps import CSRF_HEADER, SESSION_COOKIE
from backend.core.db import session_factory
from backend.core.security import new_token, token_hash
from backend.models import AuthSession, User
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeAnthropicServer, FakeOpenAIServer
from tests.support.factories import make_user

REPO = Path(__file__).resolve().parents[2]

# Children before parents; DELETE on a handful of rows is much faster than TRUNCATE.
_DELETE_ORDER = (
    "chat_messages",
    "ticket_events",
    "ticket_notes",
    "tickets",
    "chat_sessions",
    "auth_sessions",
    "login_failures",
    "users",
)
_IDENTITIES = (("tickets", "number"), ("chat_messages", "seq"), ("login_failures", "id"))


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Overrides the root conftest's TRUNCATE: same result, ticket numbers restart at 1."""
    yield
    if "engine" in request.fixturenames:
        async with session_factory()() as db:
            for table in _DELETE_ORDER:
                await db.execute(text(f"DELETE FROM {table}"))
            for table, column in _IDENTITIES:
                await db.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), 1, false)")
                )
            await db.commit()


async def open_session(server: LiveServer, db: AsyncSession, user: User) -> tuple[str, str]:
    """A server-side auth session for user; returns (cookie token, CSRF token)."""
    token, csrf = new_token(), secrets.token_urlsafe(24)
    db.add(
        AuthSession(
            token_hash=token_hash(token, server.settings.secret_key.get_secret_value()),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    await db.commit()
    return token, csrf


@pytest.fixture
async def client_for(server: LiveServer, db: AsyncSession) -> AsyncIterator[ClientFactory]:
    """client_for(user) → a signed-in httpx client with the CSRF header."""
    clients: list[httpx.AsyncClient] = []

    async def make(user: User, password: str | None = None) -> httpx.AsyncClient:
        token, csrf = await open_session(server, db, user)
        made = httpx.AsyncClient(
            base_url=server.base_url,
            timeout=30,
            cookies={SESSION_COOKIE: token},
            headers={CSRF_HEADER: csrf},
        )
        clients.append(made)
        return made

    yield make
    for made in clients:
        await made.aclose()


@pytest.fixture
async def client(client_for: ClientFactory, agent: User) -> httpx.AsyncClient:
    made: httpx.AsyncClient = await client_for(agent)
    return made


@pytest.fixture
async def other(db: AsyncSession) -> User:
    return await make_user(db, email="other@example.com", name="Otto Other")


@pytest.fixture(scope="session")
async def _chat_openai_server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture(scope="session")
async def _chat_anthropic_server() -> AsyncIterator[FakeAnthropicServer]:
    async with FakeAnthropicServer() as fake:
        yield fake


@pytest.fixture
def openai_fake(_chat_openai_server: FakeOpenAIServer) -> FakeOpenAIServer:
    _chat_openai_server.reset()
    return _chat_openai_server


@pytest.fixture
def anthropic_fake(_chat_anthropic_server: FakeAnthropicServer) -> FakeAnthropicServer:
    _chat_anthropic_server.reset()
    return _chat_anthropic_server


@pytest.fixture(params=["openai", "anthropic"])
def fake(request: pytest.FixtureRequest) -> Any:
    """Each test using it runs once against each fake provider."""
    return request.getfixturevalue(f"{request.param}_fake")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
async def second_process(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """`uv run deskpilot serve` in a process of its own on the test database, with the offline
    assistant and the test secret key (so sessions opened by `client_for` work there too);
    started once, on first use. Yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "DESKPILOT_DATABASE_URL": database_url,
        "DESKPILOT_ENVIRONMENT": "test",
        "DESKPILOT_SECRET_KEY": "test-secret",
        "DESKPILOT_LLM_PROVIDER": "offline",
        "DESKPILOT_CHAT_MESSAGES_PER_MINUTE": "1000",
    }
    log_path = tmp_path_factory.mktemp("second-process") / "serve.log"
    log = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        "uv",
        "run",
        "deskpilot",
        "serve",
        "--port",
        str(port),
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=2) as probe:
            for _ in range(600):
                assert process.returncode is None, log_path.read_text()
                with contextlib.suppress(httpx.TransportError):
                    if (await probe.get("/api/health")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            else:
                pytest.fail("the second server did not start: " + log_path.read_text())
        yield base_url
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
        log.close()
