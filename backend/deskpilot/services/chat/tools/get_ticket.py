"""get_ticket: one ticket by number, with its latest notes."""

from typing import Any

from pydantic import Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.services import ticket_service
from deskpilot.services.chat.ticket_view import ticket_for_model
from deskpilot.services.chat.tools.base import (
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    ticket_number,
)
from deskpilot.services.contacts.rows import contact_refs_by_id
from deskpilot.services.tickets.queries import summary as ticket_summary
from deskpilot.services.tickets.refs import MAX_TICKET_NUMBER
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
    ticket_id: int = Field(ge=1, le=MAX_TICKET_NUMBER)
    _coerce = field_validator("ticket_id", mode="before")(ticket_number)


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
        tickets=[
            ticket_summary(ticket, users, await contact_refs_by_id(db=db, ids=[ticket.contact_id]))
        ],
    )


TOOL = Tool(spec=SPEC, args=GetTicketArgs, label=label, handler=get_ticket)
