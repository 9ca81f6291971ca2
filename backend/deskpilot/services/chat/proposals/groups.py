"""A group of dependent proposals (chat/tools/groups.py made it): intake's new caller, their
ticket or the note on an existing one, and the call. Approving any step of a pending group
approves the group: its pending steps in call order, each one's left-out contact_id or
ticket_id filled from the step it depends on; a step that fails stops the rest (they are
`failed`, saying why). Rejecting a step rejects it and the steps after it."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatMessage, ChatProposal, User
from deskpilot.services.chat.proposals.message import set_record
from deskpilot.services.chat.proposals.present import proposal_ids
from deskpilot.services.chat.tools.groups import number_in

# (proposal, the agent's edited arguments or None, the values filled in) → its decision
RunStep = Callable[[ChatProposal, dict[str, Any] | None, dict[str, int]], Awaitable[Any]]


async def steps_of(
    db: AsyncSession, message: ChatMessage, group_id: uuid.UUID
) -> list[ChatProposal]:
    """The group's proposals in call order (as the reply's tool calls list them)."""
    rows = list(
        await db.scalars(
            select(ChatProposal)
            .where(ChatProposal.message_id == message.id, ChatProposal.group_id == group_id)
            .execution_options(populate_existing=True)
        )
    )
    order = {pid: i for i, pid in enumerate(proposal_ids(message.tool_calls))}
    return sorted(rows, key=lambda p: order.get(p.id, len(order)))


def fills_of(step: ChatProposal, done: dict[uuid.UUID, ChatProposal]) -> dict[str, int] | str:
    """The values this step takes from the steps before it, or why it cannot run."""
    values: dict[str, int] = {}
    for name, source_id in (step.snapshot.get("fill") or {}).items():
        source = done.get(uuid.UUID(str(source_id)))
        value = number_in(source.result, name) if source and source.state == "executed" else None
        if value is None:
            return "an earlier step of this change was not made"
        values[name] = value
    return values


def fail(message: ChatMessage, step: ChatProposal, user: User, why: str) -> None:
    result = {"error": {"code": "not_done", "message": f"Not done: {why}."}}
    step.state, step.result, step.reason = "failed", result, why
    step.summary = f"Not done: {why}"
    step.decided_by, step.decided_at = user.id, datetime.now(UTC)
    set_record(message, step.id, status="failed", result=result, summary=step.summary)


async def approve_group(
    db: AsyncSession,
    *,
    user: User,
    message: ChatMessage,
    clicked: ChatProposal,
    arguments: dict[str, Any] | None,
    run_step: RunStep,
) -> Any:
    """Every pending step of the clicked proposal's group, in order. The decision returned
    is the clicked step's (the one the agent edited, if any), its `continues` the last's."""
    assert clicked.group_id is not None
    steps = await steps_of(db, message, clicked.group_id)
    done = {s.id: s for s in steps}
    clicked_decision: Any = None
    last: Any = None
    failed: str | None = None
    for step in steps:
        if step.state != "pending":
            continue
        if failed is not None:
            fail(message, step, user, failed)
            continue
        fills = fills_of(step, done)
        if isinstance(fills, str):
            fail(message, step, user, fills)
            continue
        edited = arguments if step.id == clicked.id else None
        last = await run_step(step, edited, fills)
        if step.id == clicked.id or clicked_decision is None:
            clicked_decision = last
        if getattr(last, "stale", False):
            return last  # the agent approves again what they see now
        if step.state != "executed":
            failed = f"the step before it failed ({step.summary or step.tool})"
    if clicked_decision is None:
        return None
    clicked_decision.continues = bool(getattr(last, "continues", False))
    return clicked_decision


async def rejected_with(
    db: AsyncSession, message: ChatMessage, proposal: ChatProposal
) -> list[ChatProposal]:
    """The pending steps after `proposal` in its group: they need it, so they go with it."""
    if proposal.group_id is None:
        return []
    steps = await steps_of(db, message, proposal.group_id)
    after = steps[steps.index(proposal) + 1 :] if proposal in steps else []
    return [s for s in after if s.state == "pending"]
