"""What a decision answers: the reply carried on (Continuing), or, when it does not go on
(other proposals still wait, or it was decided before), the reply as it stands, as the
events a stream would carry (Settled)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.db import read_session_factory, session_factory
from deskpilot.core.errors import Conflict, Stale
from deskpilot.llm.types import ChatModel
from deskpilot.models import ChatMessage, User
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.schemas.proposal import ProposalPublic
from deskpilot.services.chat.events import DONE, TurnEvent
from deskpilot.services.chat.proposals.continuation import ContinuedTurn
from deskpilot.services.chat.proposals.decide import Decision
from deskpilot.services.chat.proposals.present import (
    decided_public,
    proposals_by_ids,
    with_proposals,
)
from deskpilot.services.chat.proposals.turn_parts import approval_required
from deskpilot.services.chat.records import present_message
from deskpilot.services.tickets.queries import summaries_by_id


@dataclass(frozen=True)
class Settled:
    """A decision whose reply does not go on now: the reply as stored."""

    proposal: ProposalPublic
    message: ChatMessagePublic

    def events(self) -> list[TurnEvent]:
        final = (
            TurnEvent("approval_required", approval_required(self.message))
            if self.message.status == "awaiting_approval"
            else TurnEvent("assistant_message", {"message": self.message.model_dump(mode="json")})
        )
        return [
            TurnEvent("proposal_updated", {"proposal": self.proposal.model_dump(mode="json")}),
            final,
        ]


async def decided(db: AsyncSession, decision: Decision, user: User) -> ProposalPublic:
    """The proposal as decided; 409 with it when the agent saw stale values. A write just
    approved is shown from what the decision has in hand (no query: the stream's first
    event waits for nothing else)."""
    if decision.ticket is not None and not decision.already:
        return decided_public(decision.proposal, ticket=decision.ticket, decided_by=user)
    proposal = (await proposals_by_ids(db, [decision.proposal.id]))[decision.proposal.id]
    if decision.stale:
        raise Stale(
            "The ticket changed since this was proposed; check the change again",
            details=[{"field": c.field, "message": f"now {c.from_}"} for c in proposal.changes],
            extra={"proposal": proposal.model_dump(mode="json")},
        )
    return proposal


async def as_it_stands(message_id: uuid.UUID, proposal: ProposalPublic) -> Settled:
    """The reply as stored (read on a session of its own), for a decision it does not go on from."""
    async with read_session_factory()() as db:
        message = (
            await db.execute(select(ChatMessage).where(ChatMessage.id == message_id))
        ).scalar_one()
        public = present_message(message, await summaries_by_id(db=db, ids=message.ticket_refs))
        await with_proposals(db, [public])
    return Settled(proposal, public)


@dataclass(frozen=True)
class Continuing:
    """A decision whose reply goes on: the turn that carries it, not started yet. Streamed,
    the decision is sent first, then the turn takes the chat and goes on; as JSON, the
    answer is the reply once stored."""

    turn: ContinuedTurn
    proposal: ProposalPublic
    message_id: uuid.UUID

    async def start(self) -> "ContinuedTurn | Settled":
        try:
            await self.turn.start()
        except Conflict:  # another turn has the chat (a message sent at the same moment)
            return await as_it_stands(self.message_id, self.proposal)
        return self.turn

    async def sse(self) -> AsyncIterator[bytes]:
        yield TurnEvent(
            "proposal_updated", {"proposal": self.proposal.model_dump(mode="json")}
        ).sse()
        started = await self.start()
        if isinstance(started, Settled):
            for event in started.events()[1:]:
                yield event.sse()
            yield DONE.sse()
            return
        async for chunk in started.sse():
            yield chunk


async def answer(
    *,
    db: AsyncSession,
    settings: Settings,
    model: ChatModel,
    user: User,
    decision: Decision,
    streaming: bool,
) -> Continuing | Settled:
    """After the decision is committed: the reply going on, or how it stands."""
    proposal = await decided(db, decision, user)
    if decision.continues:
        turn = ContinuedTurn(
            message_id=decision.message.id,
            sessions=session_factory(),
            settings=settings,
            model=model,
            user=user,
            session_id=decision.message.session_id,
            streaming=streaming,
        )
        return Continuing(turn, proposal, decision.message.id)
    message = present_message(
        decision.message, await summaries_by_id(db=db, ids=decision.message.ticket_refs)
    )
    await with_proposals(db, [message])
    return Settled(proposal, message)
