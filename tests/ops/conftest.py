"""Fixtures for the operations suite: signed-in clients without the argon2 login, an
administrator's client, and one fake model server per provider for the whole run."""

from typing import Any

import httpx
import pytest

from tests.conftest import ClientFactory
from tests.support import fast

client_for, client = fast.client_for, fast.client


@pytest.fixture
async def admin_client(client_for: ClientFactory, admin: Any) -> httpx.AsyncClient:
    result: httpx.AsyncClient = await client_for(admin)
    return result
