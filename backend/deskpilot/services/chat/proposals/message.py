"""The reply a proposal belongs to, as a decision changes it: locked first (every decision
on its proposals, and a new message superseding them, take this lock, in this order, so
they run one after the other), its tool call records kept in step with the proposals."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatMessage
from deskpilot.services.chat.records import StoredMessage

SUPERSEDED = {
    "error": {
        "code": "superseded",
        "message": "Not done: the agent sent a new message instead of approving this change.",
    }
}


async def lock_message(db: AsyncSession, message_id: uuid.UUID) -> ChatMessage:
    statement = (
        select(ChatMessage)
        .where(ChatMessage.id == message_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await db.execute(statement)).scalar_one()


def set_record(message: ChatMessage, proposal_id: uuid.UUID, **fields: Any) -> None:
    """The tool call record of this proposal, with `fields` replaced (status, result, …)."""
    records = [dict(r) for r in message.tool_calls or []]
    for record in records:
        if record.get("proposal_id") == str(proposal_id):
            record.update(fields)
    message.tool_calls = records  # a new list: the ORM sees the change


def pending_left(message: ChatMessage) -> bool:
    return any(r.get("status") == "proposed" for r in message.tool_calls or [])


def stored_of(message: ChatMessage) -> StoredMessage:
    return StoredMessage(
        id=message.id,
        session_id=message.session_id,
        seq=message.seq,
        role=message.role,
        content=message.content,
        ticket_refs=list(message.ticket_refs or []),
        tool_calls=message.tool_calls,
        status=message.status,
        error=message.error,
        client_message_id=message.client_message_id,
        created_at=message.created_at,
        superseded_at=message.superseded_at,
    )
