"""The agent decides a proposal: approve (optionally with edited arguments) or reject.

One transaction per decision. The reply's row is locked first, then the proposal's: a
decision happens once, whatever the number of requests or processes asking at the same
moment (the second finds the proposal decided and gets the stored outcome: never a second
write). An approved write runs through the tool's own handler as the approving agent,
after checking that the fields it changes still hold the values the agent saw (else 409
with the fresh diff, which the agent approves again or not). The reply goes on once none
of its proposals waits: its status becomes 'pending' in the same transaction, which only
one decision can do (continuation.py carries it on)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.errors import AppError, NotFound, ValidationFailed
from deskpilot.models import ChatMessage, ChatProposal, ChatSession, Ticket, User
from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.actor import Actor
from deskpilot.services.chat.proposals import groups
from deskpilot.services.chat.proposals.drafts import snapshot_of
from deskpilot.services.chat.proposals.message import pending_left, set_record
from deskpilot.services.chat.tools import TOOLS
from deskpilot.services.chat.tools.base import (
    ToolArgs,
    ToolContext,
    ToolOutcome,
    ToolScope,
    tool_error,
)


class ProposalNotFound(NotFound, code="proposal_not_found"):
    def __init__(self) -> None:
        super().__init__("Proposal not found")


@dataclass
class Decision:
    proposal: ChatProposal
    message: ChatMessage
    continues: bool = False  # this decision was the reply's last: the model goes on
    already: bool = False  # decided before: the stored outcome, nothing done now
    stale: bool = False  # a field changed since the agent saw it: nothing done
    ticket: TicketSummary | None = None  # approved: the ticket as the write left it


def _owned(
    query: Select[Any],
    table: type[ChatProposal] | type[ChatMessage],
    row_id: uuid.UUID,
    session_id: uuid.UUID,
    user: User,
) -> Select[Any]:
    """`query` narrowed to `table`'s row `row_id` in `session_id`, if that is the user's."""
    return query.join(ChatSession, ChatSession.id == table.session_id).where(
        table.id == row_id, table.session_id == session_id, ChatSession.user_id == user.id
    )


async def own_proposal(
    *, db: AsyncSession, user: User, session_id: uuid.UUID, proposal_id: uuid.UUID
) -> uuid.UUID:
    """The message of the caller's own proposal; anyone else's is not found."""
    message_id: uuid.UUID | None = await db.scalar(
        _owned(select(ChatProposal.message_id), ChatProposal, proposal_id, session_id, user)
    )
    if message_id is None:
        raise ProposalNotFound()
    return message_id


async def _lock(
    db: AsyncSession, *, user: User, session_id: uuid.UUID, proposal_id: uuid.UUID
) -> tuple[ChatMessage, ChatProposal]:
    """The caller's own proposal (else 404) and its reply, the reply's row locked first: in
    one statement, the ownership check and the lock every decision on the reply waits for.
    Read after that lock, the proposal is as the last decision left it."""
    message = (
        await db.execute(
            select(ChatMessage)
            .join(ChatProposal, ChatProposal.message_id == ChatMessage.id)
            .join(ChatSession, ChatSession.id == ChatProposal.session_id)
            .where(
                ChatProposal.id == proposal_id,
                ChatProposal.session_id == session_id,
                ChatSession.user_id == user.id,
            )
            .with_for_update(of=ChatMessage)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if message is None:
        raise ProposalNotFound()
    proposal = (
        await db.execute(
            select(ChatProposal)
            .where(ChatProposal.id == proposal_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    return message, proposal


async def reject(
    *,
    db: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    proposal_id: uuid.UUID,
    reason: str | None,
) -> Decision:
    message, proposal = await _lock(db, user=user, session_id=session_id, proposal_id=proposal_id)
    if proposal.state != "pending":
        return Decision(proposal, message, already=True)
    told = "The agent rejected this change; it was not made." + (
        f" Their reason: {reason}" if reason else ""
    )
    result = {"error": {"code": "not_approved", "message": told, "reason": reason}}
    for step in [proposal, *await groups.rejected_with(db, message, proposal)]:
        step.state, step.reason, step.result = "rejected", reason, result
        step.summary = "Rejected" + (f": {reason}" if reason else "")
        step.decided_by, step.decided_at = user.id, datetime.now(UTC)
        set_record(message, step.id, status="rejected", result=result, summary=step.summary)
    return await _settled(db, proposal, message)


async def approve(
    *,
    db: AsyncSession,
    settings: Settings,
    user: User,
    session_id: uuid.UUID,
    proposal_id: uuid.UUID,
    arguments: dict[str, Any] | None = None,
) -> Decision:
    message, proposal = await _lock(db, user=user, session_id=session_id, proposal_id=proposal_id)
    if proposal.state != "pending":
        return Decision(proposal, message, already=True)
    if proposal.group_id is not None:
        return await _approve_group(db, settings, user, message, proposal, arguments)
    return await _approve_one(db, settings, user, message, proposal, arguments, {})


async def _approve_group(
    db: AsyncSession,
    settings: Settings,
    user: User,
    message: ChatMessage,
    proposal: ChatProposal,
    arguments: dict[str, Any] | None,
) -> Decision:
    async def run_step(
        step: ChatProposal, edited: dict[str, Any] | None, fills: dict[str, int]
    ) -> Decision:
        return await _approve_one(db, settings, user, message, step, edited, fills)

    decision: Decision | None = await groups.approve_group(
        db, user=user, message=message, clicked=proposal, arguments=arguments, run_step=run_step
    )
    if decision is None:  # nothing was pending after all
        return Decision(proposal, message, already=True)
    if not decision.stale:  # steps failed after the last run: the reply may go on now
        decision.continues = decision.continues or (await _settled(db, proposal, message)).continues
    return decision


async def _approve_one(
    db: AsyncSession,
    settings: Settings,
    user: User,
    message: ChatMessage,
    proposal: ChatProposal,
    arguments: dict[str, Any] | None,
    fills: dict[str, int],
) -> Decision:
    tool = TOOLS[proposal.tool]
    parsed = _arguments(tool.args, proposal, arguments)
    if fills:  # a grouped step: what the steps before it made
        parsed = parsed.model_copy(update=fills)
    effective = parsed.model_dump(exclude_none=True)
    if proposal.ticket_id is not None:
        ticket = await db.scalar(
            select(Ticket).where(Ticket.id == proposal.ticket_id).with_for_update()
        )
        if ticket is not None:
            fresh = snapshot_of(ticket, effective)
            seen = dict(proposal.snapshot.get("fields") or {})
            if any(getattr(ticket, name) != value for name, value in seen.items()):
                # the agent approves again what they see now
                proposal.snapshot = {**proposal.snapshot, **fresh}
                await db.flush()
                return Decision(proposal, message, stale=True)
            # a field the agent's edit adds: its value now is the one they saw
            added = {n: v for n, v in fresh["fields"].items() if n not in seen}
            if added:
                proposal.snapshot = {**proposal.snapshot, "fields": {**seen, **added}}
    outcome = await _run(db, settings, user, proposal, parsed)
    if arguments is not None:
        proposal.edited_arguments = effective
        if outcome.status == "ok":
            outcome.result = {**outcome.result, "edited_by_agent": effective}
    proposal.state = "executed" if outcome.status == "ok" else "failed"
    proposal.result, proposal.summary = outcome.result, outcome.summary
    if outcome.ticket_ids:
        proposal.ticket_id = outcome.ticket_ids[0]
    proposal.decided_by, proposal.decided_at = user.id, datetime.now(UTC)
    set_record(
        message,
        proposal.id,
        status=proposal.state,
        result=outcome.result,
        summary=outcome.summary,
        ticket_ids=[str(t) for t in outcome.ticket_ids],
        mutated=[str(t) for t in outcome.mutated],
        contact_ids=[str(c) for c in outcome.contact_ids],
    )
    decision = await _settled(db, proposal, message)
    decision.ticket = outcome.tickets[0] if outcome.tickets else None
    return decision


def _arguments(
    args: type[ToolArgs], proposal: ChatProposal, edited: dict[str, Any] | None
) -> ToolArgs:
    """The arguments to run: the model's, or the agent's edit checked like the tool's own
    (the ticket it changes stays the proposal's)."""
    if edited is None:
        return args.model_validate(proposal.arguments)
    target = proposal.arguments.get("ticket_id")
    if target is not None and edited.setdefault("ticket_id", target) != target:
        raise ValidationFailed.for_field(
            "arguments.ticket_id", "an approval cannot move the change to another ticket"
        )
    try:
        return args.model_validate(edited)
    except ValidationError as exc:
        details = [
            {
                "field": ".".join(["arguments", *(str(p) for p in e["loc"])]),
                "message": "unknown field" if e["type"] == "extra_forbidden" else e["msg"],
            }
            for e in exc.errors()[:5]
        ]
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        raise ValidationFailed(summary, details=details) from None


async def _run(
    db: AsyncSession, settings: Settings, user: User, proposal: ChatProposal, parsed: ToolArgs
) -> ToolOutcome:
    """The tool's handler as the approving agent, in a savepoint: a write that fails leaves
    nothing behind, and the decision is still recorded."""
    context = ToolContext(
        actor=Actor(
            user_id=user.id,
            channel="chat",
            chat_session_id=proposal.session_id,
            write_id=proposal.id,
            approved_by=user.id,
        ),
        # approved: the proposal's own ticket is in scope, whoever found it
        scope=ToolScope(
            attached_ids={proposal.ticket_id} if proposal.ticket_id else set(),
            user_texts=[],
            session_id=proposal.session_id,
        ),
        max_attached=settings.chat_max_attached_tickets,
        phone_region=settings.default_phone_region,
    )
    handler = TOOLS[proposal.tool].handler
    try:
        async with db.begin_nested():
            outcome = await handler(db, parsed, context)
    except NotFound as exc:
        return tool_error("not_found", exc.message)
    except AppError as exc:
        return tool_error(exc.code, exc.message)
    return outcome


async def _settled(db: AsyncSession, proposal: ChatProposal, message: ChatMessage) -> Decision:
    continues = message.status == "awaiting_approval" and not pending_left(message)
    if continues:
        message.status = "pending"  # claimed: this decision's request carries the reply on
    await db.flush()
    return Decision(proposal, message, continues=continues)


async def pending_of(
    db: AsyncSession, *, user: User, session_id: uuid.UUID, message_id: uuid.UUID
) -> list[uuid.UUID]:
    """The caller's message's pending proposals in call order ("approve all")."""
    message: ChatMessage | None = await db.scalar(
        _owned(select(ChatMessage), ChatMessage, message_id, session_id, user)
    )
    if message is None:
        raise NotFound("Message not found in this session")
    return [
        uuid.UUID(r["proposal_id"])
        for r in message.tool_calls or []
        if r.get("status") == "proposed" and r.get("proposal_id")
    ]
