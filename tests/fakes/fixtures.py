"""Pytest fixtures: one fake server per provider for the whole run
(`openai_server`, `anthropic_server`), and `openai_fake` / `anthropic_fake`,
the same servers reset before each test that asks for them. To use them in a
suite, expose them in its conftest.py:

    from tests.fakes import fixtures

    openai_server = fixtures.openai_server
    openai_fake = fixtures.openai_fake
"""

from collections.abc import AsyncIterator

import pytest

from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture(scope="session")
async def openai_server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture(scope="session")
async def anthropic_server() -> AsyncIterator[FakeAnthropicServer]:
    async with FakeAnthropicServer() as fake:
        yield fake


@pytest.fixture
def openai_fake(openai_server: FakeOpenAIServer) -> FakeOpenAIServer:
    openai_server.reset()
    return openai_server


@pytest.fixture
def anthropic_fake(anthropic_server: FakeAnthropicServer) -> FakeAnthropicServer:
    anthropic_server.reset()
    return anthropic_server
