"""Tickets attached to a chat session: the notices that record changes, and a ticket made
from chat, created and attached in one step by both POST /api/chat/tickets and the
copilot's create_ticket tool.

Attaching never reads the list and writes it back without the session row's lock: a
person's attach/detach locks the row first (ChatService.get_session(lock=True)), and
attaching a new ticket is a single UPDATE whose cap check PostgreSQL re-evaluates on the
row's latest version. Both lock the row FOR NO KEY UPDATE, which does not conflict with the
KEY SHARE lock that inserting a message or a ticket referring to the session takes.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatMessage, ChatSession, Ticket
from deskpilot.schemas.ticket import TicketCreate
from deskpilot.services import ticket_service
from deskpilot.services.actor import Actor


@dataclass(frozen=True)
class ChatTicket:
    ticket: Ticket
    attached: bool  # False: the session was at its attachment cap
    notice: ChatMessage | None  # the stored system notice, when one was asked for


def at_cap(max_attached: int) -> str:
    noun = "ticket" if max_attached == 1 else "tickets"
    return f"this chat already has the maximum of {max_attached} attached {noun}"


async def store_notice(
    db: AsyncSession, *, session_id: uuid.UUID, content: str, refs: Sequence[uuid.UUID]
) -> ChatMessage:
    """A system message in the chat. Numbers only in `content`: the notice reaches the
    model outside the fenced ticket data, so customer-written titles stay out of it (the
    refs carry the cards)."""
    notice = ChatMessage(
        session_id=session_id, role="system", content=content, ticket_refs=list(refs)
    )
    db.add(notice)
    await db.flush()
    await db.refresh(notice)
    return notice


async def _attach_if_room(
    db: AsyncSession, *, session_id: uuid.UUID, ticket_id: uuid.UUID, max_attached: int
) -> bool:
    attached = await db.scalar(
        update(ChatSession)
        .where(
            ChatSession.id == session_id,
            func.cardinality(ChatSession.attached_ticket_ids) < max_attached,
        )
        .values(
            attached_ticket_ids=func.array_append(ChatSession.attached_ticket_ids, ticket_id),
            updated_at=func.now(),
        )
        .returning(ChatSession.id)
        # The ORM's copy of the session (if loaded) is stale now; nothing reads it after.
        .execution_options(synchronize_session=False)
    )
    return attached is not None


async def create_and_attach(
    *,
    db: AsyncSession,
    data: TicketCreate,
    actor: Actor,
    session_id: uuid.UUID,
    max_attached: int,
    announce: bool,
) -> ChatTicket:
    """Create a ticket from chat and attach it to the session. Over the cap the ticket is
    still created (a caller's ticket is never lost to a full chat) but not attached; it
    stays writable from this chat as one created there. `announce` stores a notice saying
    which happened (the copilot's tool call already says so in its reply)."""
    ticket = await ticket_service.create_ticket(
        db=db, data=data, actor=actor, chat_session_id=session_id
    )
    attached = await _attach_if_room(
        db, session_id=session_id, ticket_id=ticket.id, max_attached=max_attached
    )
    notice = None
    if announce:
        content = (
            f"Attached #{ticket.number}."
            if attached
            else f"Created #{ticket.number}; not attached: {at_cap(max_attached)}."
        )
        notice = await store_notice(db, session_id=session_id, content=content, refs=[ticket.id])
    return ChatTicket(ticket=ticket, attached=attached, notice=notice)
