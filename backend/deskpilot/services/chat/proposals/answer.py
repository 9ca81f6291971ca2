"""What a decision answers: the reply carried on (a started ContinuedTurn), or, when it
does not go on (other proposals still wait, or it was decided before), the reply as it
stands, as the events a stream would carry."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.db import session_factory
from deskpilot.core.errors import Conflict, Stale
from deskpilot.llm.types import ChatModel
from deskpilot.models import User
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.schemas.proposal import ProposalPublic
from deskpilot.services.chat.events import TurnEvent
from deskpilot.services.chat.proposals.continuation import ContinuedTurn
from deskpilot.services.chat.proposals.decide import Decision
from deskpilot.services.chat.proposals.present import proposals_by_ids, with_proposals
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


async def decided(db: AsyncSession, decision: Decision) -> ProposalPublic:
    """The proposal as decided; 409 with it when the agent saw stale values."""
    proposal = (await proposals_by_ids(db, [decision.proposal.id]))[decision.proposal.id]
    if decision.stale:
        raise Stale(
            "The ticket changed since this was proposed; check the change again",
            details=[{"field": c.field, "message": f"now {c.from_}"} for c in proposal.changes],
            extra={"proposal": proposal.model_dump(mode="json")},
        )
    return proposal


async def answer(
    *,
    db: AsyncSession,
    settings: Settings,
    model: ChatModel,
    user: User,
    decision: Decision,
    streaming: bool,
) -> ContinuedTurn | Settled:
    """After the decision is committed: carry the reply on, or say how it stands."""
    proposal = await decided(db, decision)
    if decision.continues:
        turn = ContinuedTurn(
            message_id=decision.message.id,
            decided=proposal,
            sessions=session_factory(),
            settings=settings,
            model=model,
            user=user,
            session_id=decision.message.session_id,
            streaming=streaming,
        )
        try:
            await turn.start()
            return turn
        except Conflict:
            await db.refresh(decision.message)  # another turn has the chat: as it stands
    message = present_message(
        decision.message, await summaries_by_id(db=db, ids=decision.message.ticket_refs)
    )
    await with_proposals(db, [message])
    return Settled(proposal, message)
