"""Pytest fixtures: one fake server per provider for the whole run
(`openai_server`, `anthropic_server`), `openai_fake` / `anthropic_fake`, the same
servers reset before each test that asks for them, and `fake`, which runs a test once
against each. tests/conftest.py loads them as a plugin, so every suite has them."""

from collections.abc import AsyncIterator
from typing import Any

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


@pytest.fixture(params=["openai", "anthropic"])
def fake(request: pytest.FixtureRequest) -> Any:
    """Each test using it runs once against each fake provider."""
    return request.getfixturevalue(f"{request.param}_fake")
