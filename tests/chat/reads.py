"""The database as the chat tests read it: through fresh sessions, so a test never sees a
stale snapshot."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql import Select

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage, Ticket, TicketEvent


async def fetch_all(statement: Select[Any]) -> list[Any]:
    async with session_factory()() as db:
        return list((await db.execute(statement)).scalars())


async def fetch_one(statement: Select[Any]) -> Any:
    async with session_factory()() as db:
        return (await db.execute(statement)).scalar_one_or_none()


async def stored_messages(session_id: str | uuid.UUID) -> list[ChatMessage]:
    return await fetch_all(
        select(ChatMessage)
        .where(ChatMessage.session_id == uuid.UUID(str(session_id)))
        .order_by(ChatMessage.seq)
    )


async def ticket_count() -> int:
    return int(await fetch_one(select(func.count()).select_from(Ticket)))


async def ticket_by_number(number: int) -> Ticket:
    ticket: Ticket = await fetch_one(select(Ticket).where(Ticket.number == number))
    return ticket


async def chat_events() -> list[TicketEvent]:
    """What was written from the chat, in the order it was written."""
    return await fetch_all(
        select(TicketEvent).where(TicketEvent.channel == "chat").order_by(TicketEvent.created_at)
    )
