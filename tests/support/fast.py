"""Faster stand-ins for two conftest fixtures, for test modules that are not about login.

- `client_for` / `client`: signed-in clients without the login round trip. Logging in
  verifies an argon2 hash (deliberately slow); here the session row is written directly,
  as auth_service.login writes it, and the client carries the session cookie and the CSRF
  header. Login itself is covered in tests/api/test_auth.py.
- Tables are emptied between tests by the root conftest (tests/support/cleanup.py).
- `make_tickets`: many tickets in one transaction; `make_desk`: a test desk numbered 1, 2, …
- `get_ok`: a GET that must answer 200, its JSON body.

A module opts in with

    from tests.support import fast

    client_for, client = fast.client_for, fast.client
"""

import secrets
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.api.deps import CSRF_HEADER, SESSION_COOKIE
from deskpilot.core.security import new_token, token_hash
from deskpilot.models import AuthSession, Ticket, User
from deskpilot.schemas.ticket import TicketCreate
from deskpilot.services.actor import Actor
from deskpilot.services.ticket_service import create_ticket
from tests.conftest import ClientFactory, LiveServer


async def open_session(server: LiveServer, db: AsyncSession, user: User) -> tuple[str, str]:
    """A server-side session for user; returns (cookie token, CSRF token)."""
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
    clients: list[httpx.AsyncClient] = []

    async def make(user: User, password: str | None = None) -> httpx.AsyncClient:
        token, csrf = await open_session(server, db, user)
        client = httpx.AsyncClient(
            base_url=server.base_url,
            timeout=30,
            cookies={SESSION_COOKIE: token},
            headers={CSRF_HEADER: csrf},
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(client_for: ClientFactory, agent: Any) -> httpx.AsyncClient:
    result: httpx.AsyncClient = await client_for(agent)
    return result


async def make_tickets(
    db: AsyncSession, *, by: User, specs: Iterable[dict[str, Any]]
) -> list[Ticket]:
    """Like factories.make_ticket for many tickets, in one transaction (one commit, one fsync)."""
    actor = Actor(user_id=by.id)
    tickets = []
    for fields in specs:
        data = TicketCreate(**{"title": "Printer jammed", "description": "Paper stuck", **fields})
        tickets.append(await create_ticket(db=db, data=data, actor=actor))
    await db.commit()
    return tickets


async def make_desk(db: AsyncSession, *, by: User, specs: list[dict[str, Any]]) -> list[Ticket]:
    """A module's desk of tickets, numbered 1.. in the order of `specs` (its tests name them)."""
    tickets = await make_tickets(db, by=by, specs=specs)
    assert [t.number for t in tickets] == list(range(1, len(specs) + 1))
    return tickets


async def get_ok(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
