"""Fixtures for the chat suite: signed-in clients without the argon2 login, a second user,
one fake model server per provider for the whole run (reset before each test), and a
second server process for the tests that need one."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat import injection
from tests.support import fast
from tests.support.commands import serve
from tests.support.factories import make_user

# Signed-in clients without the argon2 login round trip (login is tested in tests/api).
client_for, client = fast.client_for, fast.client
attack = injection.attack  # the prompt-injection attack of tests/chat/injection.py


@pytest.fixture
async def other(db: AsyncSession) -> User:
    return await make_user(db, email="other@example.com", name="Otto Other")


@pytest.fixture(scope="session")
async def second_process(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """`deskpilot serve` in a process of its own on the test database, with the offline
    assistant (see tests/support/commands.py); started once, on first use. Yields its base
    URL."""
    settings = {
        "DESKPILOT_LLM_PROVIDER": "offline",
        "DESKPILOT_CHAT_MESSAGES_PER_MINUTE": "1000",
    }
    log_dir = tmp_path_factory.mktemp("second-process")
    async with serve(database_url, log_dir, env=settings) as base_url:
        yield base_url
