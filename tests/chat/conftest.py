"""Fixtures for the chat suite: signed-in clients without the argon2 login, a second user,
one fake model server per provider for the whole run (reset before each test), and a
second server process for the tests that need one."""

import asyncio
import contextlib
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.conftest import free_port
from tests.fakes import fixtures
from tests.support import fast
from tests.support.commands import deskpilot_command
from tests.support.factories import make_user

REPO = Path(__file__).resolve().parents[2]

# Signed-in clients without the argon2 login round trip (login is tested in tests/api).
client_for, client = fast.client_for, fast.client


@pytest.fixture
async def other(db: AsyncSession) -> User:
    return await make_user(db, email="other@example.com", name="Otto Other")


# One fake server per provider for the whole run, reset before each test that asks for it.
openai_server = fixtures.openai_server
anthropic_server = fixtures.anthropic_server
openai_fake = fixtures.openai_fake
anthropic_fake = fixtures.anthropic_fake


@pytest.fixture(params=["openai", "anthropic"])
def fake(request: pytest.FixtureRequest) -> Any:
    """Each test using it runs once against each fake provider."""
    return request.getfixturevalue(f"{request.param}_fake")


@pytest.fixture(scope="session")
async def second_process(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """`uv run deskpilot serve` in a process of its own on the test database, with the offline
    assistant and the test secret key (so sessions opened by `client_for` work there too);
    started once, on first use. Yields its base URL."""
    port = free_port()
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
        *deskpilot_command("serve", "--port", str(port)),
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
