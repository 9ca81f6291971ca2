"""log_call: record a call with a caller, maybe about a ticket (intake's last step). The
contact_id (and ticket_id) may be left out when an earlier write of the same reply creates
that contact (or ticket): chat/tools/groups.py fills them in."""

from typing import Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Ticket
from deskpilot.schemas.contact import CALL_SUMMARY_MAX, CallCreate
from deskpilot.services import contact_service, ticket_service
from deskpilot.services.chat.contact_view import (
    contact_by_number,
    ref_by_number,
    shown,
    write_refusal,
)
from deskpilot.services.chat.proposals.drafts import ProposalDraft
from deskpilot.services.chat.tools.base import (
    ContactNumber,
    TicketNumber,
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    proposed,
    tool_error,
)
from deskpilot.services.tickets.queries import summary as ticket_summary
from deskpilot.services.user_service import users_by_id

SPEC: dict[str, Any] = {
    "name": "log_call",
    "description": "Log a phone call with a caller in their call history, with the ticket "
    "it was about. Leave contact_id (or ticket_id) out only when create_contact (or "
    "create_ticket) in this same reply makes it.",
    "parameters": {
        "type": "object",
        "properties": {
            "contact_id": {"type": "integer", "description": "The caller's contact number"},
            "ticket_id": {"type": "integer", "description": "The ticket number the call was about"},
            "summary": {"type": "string", "description": "What the call was about"},
            "direction": {
                "type": "string",
                "enum": ["inbound", "outbound"],
                "description": "inbound (the caller rang) or outbound (the desk rang them)",
            },
        },
        "required": ["contact_id", "summary"],
    },
}


class LogCallArgs(ToolArgs):
    contact_id: ContactNumber | None = None
    ticket_id: TicketNumber | None = None
    summary: str = Field(min_length=1, max_length=CALL_SUMMARY_MAX)
    direction: Literal["inbound", "outbound"] = "inbound"


def label(args: dict[str, Any]) -> str:
    contact = args.get("contact_id")
    return f"Logging the call with C-{contact}…" if contact is not None else "Logging the call…"


def _no_contact() -> ToolOutcome:
    return tool_error(
        "invalid_arguments", "log_call needs contact_id: the caller's contact number."
    )


async def preview(db: AsyncSession, args: LogCallArgs, context: ToolContext) -> ToolOutcome | None:
    snapshot: dict[str, Any] = {}
    if args.contact_id is not None:
        snapshot["contact"] = await ref_by_number(db, args.contact_id)
    elif "contact_id" not in context.later:
        return _no_contact()
    summary = None
    if args.ticket_id is not None:
        ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id)
        summary = ticket_summary(ticket, await users_by_id(db=db, ids=[ticket.assignee_id]))
    arguments = args.model_dump(exclude_none=True)
    draft = ProposalDraft(tool=SPEC["name"], arguments=arguments, ticket=summary, snapshot=snapshot)
    return proposed(draft)


async def log_call(db: AsyncSession, args: LogCallArgs, context: ToolContext) -> ToolOutcome:
    if args.contact_id is None:
        return _no_contact()
    contact = await contact_by_number(db, args.contact_id)
    if refusal := await write_refusal(db, contact, context):
        return tool_error("refused", refusal, status="refused")
    ticket: Ticket | None = None
    if args.ticket_id is not None:
        ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id, lock=True)
    call = await contact_service.log_call(
        db=db,
        data=CallCreate(
            contact_id=contact.id,
            ticket_id=ticket.id if ticket else None,
            summary=args.summary,
            direction=args.direction,
        ),
        actor=context.actor,
    )
    if (
        ticket is not None
        and ticket.source == "chat"
        and (ticket.chat_session_id == context.scope.session_id)
    ):
        ticket.source = "call"  # created in this chat, and it records a call (seams.md)
        await db.flush()
    on = f" on #{ticket.number}" if ticket else ""
    return ToolOutcome(
        status="ok",
        result={
            "call": {"id": str(call.id), "ticket": ticket.number if ticket else None},
            "contact": await shown(db, contact),
            "logged": True,
        },
        summary=f"Logged the call with C-{contact.number} {contact.name}{on}",
        ticket_ids=[ticket.id] if ticket else [],
        contact_ids=[contact.id],
    )


TOOL = Tool(spec=SPEC, args=LogCallArgs, label=label, handler=log_call, preview=preview)
