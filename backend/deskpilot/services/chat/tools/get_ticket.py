"""get_ticket: one ticket by number, with its latest notes."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.services import ticket_service
from deskpilot.services.chat.ticket_view import ticket_for_model
from deskpilot.services.chat.tools.base import (
    TicketNumber,
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
)
from deskpilot.services.tickets.queries import summary_with_contact
from deskpilot.services.user_service import users_by_id

SPEC: dict[str, Any] = {
    "name": "get_ticket",
    "description": "Get details of a ticket by ID or ticket number",
    "parameters": {
        "type": "object",
        "properties": {
            "ticket_id": {"type": "integer", "description": "The ticket number (e.g., 47)"}
        },
        "required": ["ticket_id"],
    },
}


class GetTicketArgs(ToolArgs):
    ticket_id: TicketNumber


def label(args: dict[str, Any]) -> str:
    number = args.get("ticket_id")
    return f"Reading ticket #{number}…" if number is not None else "Reading a ticket…"


async def get_ticket(db: AsyncSession, args: GetTicketArgs, context: ToolContext) -> ToolOutcome:
    ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id)
    users = await users_by_id(db=db, ids=[ticket.assignee_id])
    return ToolOutcome(
        status="ok",
        result={"ticket": await ticket_for_model(db, ticket, with_notes=True, users=users)},
        summary=f"Read ticket #{ticket.number}",
        ticket_ids=[ticket.id],
        tickets=[await summary_with_contact(db=db, ticket=ticket, users=users)],
    )


TOOL = Tool(spec=SPEC, args=GetTicketArgs, label=label, handler=get_ticket)
