"""update_ticket: change a ticket's status, priority or assignee and/or add a note, within the
chat's write scope. priority and assignee are optional properties beyond spec §3 (seams.md:
the spec's properties, types and required list stay as they are)."""

import uuid
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.schemas.common import ASSIGNEE_MAX, NOTE_MAX
from deskpilot.schemas.ticket import TicketUpdate
from deskpilot.services import ticket_service
from deskpilot.services.chat.proposals.drafts import ProposalDraft, snapshot_of
from deskpilot.services.chat.ticket_view import ticket_for_model
from deskpilot.services.chat.tools.base import (
    TicketNumber,
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    proposed,
    tool_error,
)
from deskpilot.services.ticket_service import TicketChange
from deskpilot.services.tickets.assignees import resolve_assignee
from deskpilot.services.tickets.queries import Users, summary_with_contact
from deskpilot.services.user_service import users_by_id

SPEC: dict[str, Any] = {
    "name": "update_ticket",
    "description": "Update a ticket's status or add notes",
    "parameters": {
        "type": "object",
        "properties": {
            "ticket_id": {"type": "integer", "description": "The ticket number to update"},
            "status": {
                "type": "string",
                "enum": ["open", "in_progress", "resolved", "closed"],
                "description": "New status for the ticket",
            },
            "notes": {"type": "string", "description": "Notes to add to the ticket"},
            "priority": {
                "type": "string",
                "enum": ["low", "medium", "high", "urgent"],
                "description": "New priority for the ticket",
            },
            "assignee": {
                "type": "string",
                "description": "Agent to assign the ticket to: a person of this desk by name "
                "or e-mail (not a team), 'me' for the user, or 'none' to unassign",
            },
        },
        "required": ["ticket_id"],
    },
}


class UpdateTicketArgs(ToolArgs):
    ticket_id: TicketNumber
    status: Literal["open", "in_progress", "resolved", "closed"] | None = None
    notes: str | None = Field(default=None, min_length=1, max_length=NOTE_MAX)
    priority: Literal["low", "medium", "high", "urgent"] | None = None
    assignee: str | None = Field(default=None, min_length=1, max_length=ASSIGNEE_MAX)


def label(args: dict[str, Any]) -> str:
    number = args.get("ticket_id")
    return f"Updating ticket #{number}…" if number is not None else "Updating a ticket…"


def _nothing_asked() -> ToolOutcome:
    return tool_error(
        "invalid_arguments", "update_ticket needs a status, priority, assignee or notes."
    )


def _out_of_scope(number: int) -> ToolOutcome:
    return tool_error(
        "refused",
        f"Refused: ticket #{number} is not part of this conversation. Changes are "
        "only made to tickets the user named, attached, or created here; a number the "
        "user wrote counts only as a ticket reference (#N, 'ticket N', 'close N'). Ask "
        f"the user to write #{number} if they want it changed.",
        status="refused",
    )


async def preview(
    db: AsyncSession, args: UpdateTicketArgs, context: ToolContext
) -> ToolOutcome | None:
    """The change as a proposal for the agent, or None when it would change nothing."""
    if not args.model_dump(exclude={"ticket_id"}, exclude_none=True):
        return _nothing_asked()
    ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id)
    if not context.scope.allows_proposal(ticket):
        return _out_of_scope(ticket.number)
    arguments = args.model_dump(exclude_none=True)
    snapshot = snapshot_of(ticket, arguments)
    new_assignee = (  # unknown or ambiguous: the model is told, and no card is shown
        await resolve_assignee(db=db, value=args.assignee, me=context.actor.user_id)
        if args.assignee is not None
        else None
    )
    users = await users_by_id(db=db, ids=[ticket.assignee_id, new_assignee])
    if args.assignee is not None and new_assignee != ticket.assignee_id:
        snapshot["assignee"] = {
            "from": _value(ticket.assignee_id, users),
            "to": _value(new_assignee, users),
        }
    if not snapshot["fields"] and not args.notes and "assignee" not in snapshot:
        return None  # already so: nothing to approve
    draft = ProposalDraft(
        tool=SPEC["name"],
        arguments=arguments,
        ticket=await summary_with_contact(db=db, ticket=ticket, users=users),
        snapshot=snapshot,
    )
    return proposed(draft)


async def update_ticket(
    db: AsyncSession, args: UpdateTicketArgs, context: ToolContext
) -> ToolOutcome:
    asked = args.model_dump(exclude={"ticket_id"}, exclude_none=True)
    if not asked:
        return _nothing_asked()
    ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id, lock=True)
    if not context.scope.allows(ticket):
        return _out_of_scope(ticket.number)
    changes = await ticket_service.update_ticket(
        db=db,
        ticket=ticket,
        changes=TicketUpdate(**asked),
        actor=context.actor,
    )
    users = await users_by_id(db=db, ids=[ticket.assignee_id, *_people(changes)])
    done = [_done(c, users) for c in changes]
    if args.notes:
        done.append("note added")
    return ToolOutcome(
        status="ok",
        tickets=[await summary_with_contact(db=db, ticket=ticket, users=users)],
        result={
            "ticket": await ticket_for_model(db, ticket, with_notes=bool(args.notes), users=users),
            "changes": [
                {"field": _field(c), "old": _value(c.old, users), "new": _value(c.new, users)}
                for c in changes
            ],
            "note_added": bool(args.notes),
        },
        summary=f"Updated ticket #{ticket.number}"
        + (f" ({', '.join(done)})" if done else " (no change)"),
        ticket_ids=[ticket.id],
        mutated=[ticket.id] if done else [],
    )


def _people(changes: list[TicketChange]) -> list[uuid.UUID]:
    return [v for c in changes if c.field == "assignee_id" for v in (c.old, c.new) if v]


def _field(change: TicketChange) -> str:
    return "assignee" if change.field == "assignee_id" else change.field


def _value(value: Any, users: Users) -> Any:
    """Values as people read them: an assignee by name."""
    if isinstance(value, uuid.UUID):
        user = users.get(value)
        return user.name if user else None
    return value


def _done(change: TicketChange, users: Users) -> str:
    old, new = _value(change.old, users), _value(change.new, users)
    return f"{_field(change)} {old or 'none'} → {new or 'none'}"


TOOL = Tool(
    spec=SPEC,
    args=UpdateTicketArgs,
    label=label,
    handler=update_ticket,
    preview=preview,
)
