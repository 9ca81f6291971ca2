"""Undo of a copilot write from the chat (POST …/proposals/{id}/undo): a ticket write through
the audit trail (services/tickets/undo.py); a logged call is deleted; a contact it created
is deleted if nothing else points at it now (no other ticket or call). A grouped intake
(contact → ticket or note → call) is undone step by step, the last first, in one
transaction: a step that cannot be undone (409) leaves the whole group as it was."""

import uuid

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import NotFound
from deskpilot.models import ChatMessage, ChatProposal, Contact, Interaction, Ticket, User
from deskpilot.services.actor import Channel
from deskpilot.services.chat.proposals.groups import steps_of
from deskpilot.services.tickets.undo import undo_write

CONTACT_TOOLS = ("create_contact", "log_call")


async def undo_proposal(
    *, db: AsyncSession, user: User, proposal_id: uuid.UUID, channel: Channel
) -> None:
    proposal = await db.get(ChatProposal, proposal_id)
    if proposal is None:
        raise NotFound("There is no change of this write to undo")
    steps = [proposal]
    if proposal.group_id is not None and proposal.message_id is not None:
        message = await db.get(ChatMessage, proposal.message_id)
        if message is not None:
            steps = await steps_of(db, message, proposal.group_id)
    done = [s for s in steps if s.state == "executed"]
    if not done:
        raise NotFound("There is no change of this write to undo")
    created_tickets = [s.ticket_id for s in done if s.tool == "create_ticket" and s.ticket_id]
    for step in reversed(done):
        if step.tool not in CONTACT_TOOLS:  # undone before: services/tickets/undo says so
            await undo_write(db=db, user=user, write_id=step.id, channel=channel)
            continue
        if step.undone_at is not None:
            continue
        if step.tool == "log_call":
            await _delete_call(db, step)
        else:
            await _delete_contact(db, step, created_tickets)
        await db.execute(
            update(ChatProposal)
            .where(ChatProposal.id == step.id)
            .values(undone_at=func.now(), undone_by=user.id)
        )
    await db.flush()


def _id_in(result: object, key: str) -> uuid.UUID | None:
    item = result.get(key) if isinstance(result, dict) else None
    value = item.get("id") if isinstance(item, dict) else None
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def _delete_call(db: AsyncSession, step: ChatProposal) -> None:
    call_id = _id_in(step.result, "call")
    if call_id is not None:
        await db.execute(delete(Interaction).where(Interaction.id == call_id))


async def _delete_contact(
    db: AsyncSession, step: ChatProposal, created_tickets: list[uuid.UUID]
) -> None:
    """The contact, unless another ticket or call points at it now (then it stays)."""
    contact_id = _id_in(step.result, "contact")
    if contact_id is None:
        return
    tickets = select(Ticket.id).where(
        Ticket.contact_id == contact_id, Ticket.id.not_in(created_tickets or [uuid.uuid4()])
    )
    calls = select(Interaction.id).where(Interaction.contact_id == contact_id)
    if await db.scalar(select(tickets.exists())) or await db.scalar(select(calls.exists())):
        return
    await db.execute(delete(Contact).where(Contact.id == contact_id))
