"""A new message while proposals wait: they are superseded (never run), and the model,
which reads the paused reply in the history, is told so by their results."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.models import ChatProposal
from deskpilot.services.chat.proposals.message import (
    SUPERSEDED,
    lock_message,
    set_record,
    stored_of,
)
from deskpilot.services.chat.records import StoredMessage


async def supersede(db: AsyncSession, message_id: uuid.UUID) -> StoredMessage:
    """The reply's pending proposals superseded, and the reply as it is then."""
    message = await lock_message(db, message_id)
    superseded = await db.scalars(
        update(ChatProposal)
        .where(ChatProposal.message_id == message_id, ChatProposal.state == "pending")
        .values(state="superseded", result=SUPERSEDED, decided_at=func.now())
        .returning(ChatProposal.id)
    )
    for proposal_id in superseded:
        set_record(
            message,
            proposal_id,
            status="superseded",
            result=SUPERSEDED,
            summary="Not done: superseded by a new message",
        )
    if message.status == "awaiting_approval":
        message.status = "complete"
    await db.flush()
    return stored_of(message)


async def supersede_in_history(
    sessions: async_sessionmaker[AsyncSession], history: Sequence[StoredMessage]
) -> list[StoredMessage]:
    """The history, with any reply still awaiting approval superseded (in the database
    too). Most histories have none, and cost nothing here."""
    paused = [m.id for m in history if m.status == "awaiting_approval"]
    if not paused:
        return list(history)
    async with sessions() as db:
        updated = {message_id: await supersede(db, message_id) for message_id in paused}
        await db.commit()
    return [updated.get(m.id, m) for m in history]
