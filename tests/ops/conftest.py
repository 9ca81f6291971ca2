"""Fixtures for the operations suite: signed-in clients without the argon2 login, an
administrator's client, and one fake model server per provider for the whole run."""

from typing import Any

import httpx
import pytest

from tests.conftest import ClientFactory
from tests.fakes import fixtures
from tests.support import fast

client_for, client = fast.client_for, fast.client

openai_server = fixtures.openai_server
anthropic_server = fixtures.anthropic_server
openai_fake = fixtures.openai_fake
anthropic_fake = fixtures.anthropic_fake


@pytest.fixture(params=["openai", "anthropic"])
def fake(request: pytest.FixtureRequest) -> Any:
    """Each test using it runs once against each fake provider."""
    return request.getfixturevalue(f"{request.param}_fake")


@pytest.fixture
async def admin_client(client_for: ClientFactory, admin: Any) -> httpx.AsyncClient:
    result: httpx.AsyncClient = await client_for(admin)
    return result
