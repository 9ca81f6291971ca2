"""Chat sessions are private: another user's session id answers 404 on every chat route,
exactly like an id that does not exist, and nothing of the owner's changes."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatMessage, ChatSession, Ticket, User
from tests.chat.helpers import attach, new_session, send, use_fake
from tests.chat.reads import fetch_one, stored_messages
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeOpenAIServer, text
from tests.support.factories import make_ticket
from tests.support.sse import SSE


async def snapshot(session_id: str) -> dict[str, Any]:
    session = await fetch_one(select(ChatSession).where(ChatSession.id == uuid.UUID(session_id)))
    messages = await stored_messages(session_id)
    return {
        "title": session.title,
        "title_source": session.title_source,
        "attached": list(session.attached_ticket_ids),
        "updated_at": session.updated_at,
        "messages": [(m.id, m.role, m.content, m.status) for m in messages],
        "tickets": await fetch_one(select(func.count()).select_from(Ticket)),
        "all_messages": await fetch_one(select(func.count()).select_from(ChatMessage)),
    }


def _requests(session_id: str) -> list[tuple[str, str, dict[str, Any] | None, dict[str, str]]]:
    base = f"/api/chat/sessions/{session_id}"
    return [
        ("GET", base, None, {}),
        ("PATCH", base, {"title": "pwned"}, {}),
        ("DELETE", base, None, {}),
        ("PATCH", f"{base}/tickets", {"attach": [2]}, {}),
        ("PATCH", f"{base}/tickets", {"detach": [1]}, {}),
        ("GET", f"{base}/messages", None, {}),
        ("POST", f"{base}/messages", {"content": "close #1"}, {}),
        ("POST", f"{base}/messages", {"content": "close #1"}, SSE),
        (
            "POST",
            "/api/chat/tickets",
            {"session_id": session_id, "title": "Injected", "description": "x"},
            {},
        ),
    ]


@pytest.fixture
async def owned(client: httpx.AsyncClient, db: AsyncSession, agent: User) -> dict[str, Any]:
    """The agent's session: a derived title, ticket #1 attached, one exchange."""
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="VPN down")
    session = await new_session(client)
    await attach(client, session["id"], 1)
    assert (await send(client, session["id"], "summarise the attached tickets")).status_code == 200
    return session


async def test_every_chat_route_hides_another_users_session(
    server: LiveServer,
    client_for: ClientFactory,
    other: User,
    owned: dict[str, Any],
    openai_fake: FakeOpenAIServer,
) -> None:
    use_fake(server, openai_fake)  # a model that would answer, were it ever asked
    openai_fake.script(text("You should never see this."))
    intruder = await client_for(other)
    before = await snapshot(owned["id"])
    missing = str(uuid.uuid4())

    for method, path, body, headers in _requests(owned["id"]):
        response = await intruder.request(method, path, json=body, headers=headers)
        unknown = await intruder.request(
            method, path.replace(owned["id"], missing), json=body, headers=headers
        )
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"] == "application/json", (method, path)
        assert response.json()["error"]["code"] == "session_not_found"
        # Indistinguishable from a session that does not exist.
        assert response.json() == unknown.json(), (method, path)

    assert await snapshot(owned["id"]) == before
    assert openai_fake.requests == []
    listed = (await intruder.get("/api/chat/sessions")).json()
    assert listed == {"items": [], "next_cursor": None}


async def test_the_owner_still_has_everything(
    client: httpx.AsyncClient, client_for: ClientFactory, other: User, owned: dict[str, Any]
) -> None:
    intruder = await client_for(other)
    for method, path, body, headers in _requests(owned["id"]):
        await intruder.request(method, path, json=body, headers=headers)

    detail = await client.get(f"/api/chat/sessions/{owned['id']}")

    assert detail.status_code == 200
    body = detail.json()
    assert body["title"] == "summarise the attached tickets"
    assert [t["number"] for t in body["attached_tickets"]] == [1]
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant"]
    ticket = (await client.get("/api/tickets/1")).json()
    assert ticket["status"] == "open"


async def test_each_user_lists_only_their_own_sessions(
    client: httpx.AsyncClient, client_for: ClientFactory, other: User
) -> None:
    mine = await new_session(client, title="mine")
    theirs_client = await client_for(other)
    theirs = await new_session(theirs_client, title="theirs")

    my_list = (await client.get("/api/chat/sessions")).json()["items"]
    their_list = (await theirs_client.get("/api/chat/sessions")).json()["items"]

    assert [s["id"] for s in my_list] == [mine["id"]]
    assert [s["id"] for s in their_list] == [theirs["id"]]
