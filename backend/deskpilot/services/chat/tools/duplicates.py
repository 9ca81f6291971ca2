"""A weak model repeats create_ticket: five tickets for one request, a copy of the attached
ticket per "summarize it". A create whose title and description match (once normalised, or
near-identically) a ticket created or proposed in this chat, or one attached to it, is
refused with the ticket's number, so the model answers with that ticket instead."""

import difflib
import re
import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatProposal, Ticket

NEAR_IDENTICAL = 0.9
_NOT_WORDS = re.compile(r"[\W_]+")


def normalised(title: str, description: str) -> str:
    return _NOT_WORDS.sub(" ", f"{title}\n{description}".casefold()).strip()


def same_ticket(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= NEAR_IDENTICAL


async def duplicate_of(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    attached_ids: set[uuid.UUID],
    title: str,
    description: str,
    proposing: bool,
) -> str | None:
    """Why this create repeats an earlier one ("already created as #61"), or None. Pending
    proposals count only when `proposing` (an approved one runs while still pending)."""
    wanted = normalised(title, description)
    created_here = select(ChatProposal.ticket_id).where(
        ChatProposal.session_id == session_id,
        ChatProposal.tool == "create_ticket",
        ChatProposal.ticket_id.is_not(None),
    )
    tickets = await db.execute(
        select(Ticket.number, Ticket.title, Ticket.description).where(
            or_(Ticket.id.in_(created_here), Ticket.id.in_(attached_ids or [uuid.uuid4()]))
        )
    )
    for number, ticket_title, ticket_description in tickets:
        if same_ticket(wanted, normalised(ticket_title, ticket_description or "")):
            return f"already created as #{number}; use that ticket rather than a new one"
    if not proposing:
        return None
    pending = await db.execute(
        select(ChatProposal.arguments).where(
            ChatProposal.session_id == session_id,
            ChatProposal.tool == "create_ticket",
            ChatProposal.state == "pending",
        )
    )
    for (arguments,) in pending:
        earlier = normalised(str(arguments.get("title", "")), str(arguments.get("description", "")))
        if same_ticket(wanted, earlier):
            return "already proposed in this chat and waiting for the agent's approval"
    return None
