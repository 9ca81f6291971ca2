"""Helpers for the supervised copilot's tests: deciding proposals and undoing writes over
HTTP (JSON, or streamed), and reading proposals back from the database."""

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatProposal, TicketEvent, User
from tests.chat.helpers import new_session, send
from tests.chat.reads import fetch_all, fetch_one
from tests.conftest import LiveServer
from tests.support.factories import make_ticket
from tests.support.sse import SSE, Event, read_events


def never(server: LiveServer, **overrides: Any) -> None:
    """Writes at once, as before approval existed (DESKPILOT_CHAT_APPROVAL=never)."""
    server.configure(chat_approval="never", **overrides)


def url(session_id: str, proposal_id: str, action: str) -> str:
    return f"/api/chat/sessions/{session_id}/proposals/{proposal_id}/{action}"


async def decide(
    client: httpx.AsyncClient, session_id: str, proposal_id: str, action: str, **body: Any
) -> httpx.Response:
    return await client.post(url(session_id, proposal_id, action), json=body or None)


async def approve_all(
    client: httpx.AsyncClient, session_id: str, message_id: str
) -> httpx.Response:
    return await client.post(f"/api/chat/sessions/{session_id}/messages/{message_id}/approve-all")


async def decide_sse(
    client: httpx.AsyncClient, session_id: str, proposal_id: str, action: str, **body: Any
) -> tuple[int, list[Event]]:
    async with client.stream(
        "POST", url(session_id, proposal_id, action), json=body or None, headers=SSE
    ) as response:
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            await response.aread()
            return response.status_code, [("http_error", response.json())]
        return response.status_code, await read_events(response)


def pending(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in message["proposals"] if p["state"] == "pending"]


async def proposal_row(proposal_id: str | uuid.UUID) -> ChatProposal:
    row: ChatProposal = await fetch_one(
        select(ChatProposal).where(ChatProposal.id == uuid.UUID(str(proposal_id)))
    )
    return row


async def all_proposals() -> list[ChatProposal]:
    return await fetch_all(select(ChatProposal).order_by(ChatProposal.created_at))


async def events_of(ticket_id: uuid.UUID) -> list[TicketEvent]:
    return await fetch_all(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.created_at, TicketEvent.id)
    )


async def proposed_close(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> tuple[str, dict[str, Any]]:
    """A chat where the agent asked "close #1": (session id, the paused reply)."""
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    response = await send(client, session["id"], "close #1")
    assert response.status_code == 200, response.text
    return session["id"], response.json()


async def close_proposed(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> tuple[str, str]:
    """(session id, proposal id) of "close #1", pending."""
    session_id, reply = await proposed_close(client, db, agent)
    return session_id, reply["proposals"][0]["id"]
