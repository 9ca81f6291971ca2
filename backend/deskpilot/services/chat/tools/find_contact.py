"""find_contact: callers by name, organisation, e-mail or phone (any format, or its last 4+
digits), each with their open tickets: who is calling, and what is already open for them."""

from typing import Any

from pydantic import Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.services import contact_service
from deskpilot.services.chat.contact_view import for_model, open_tickets_of
from deskpilot.services.chat.tools.base import (
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    quoting_label,
    tool_error,
)

FOUND_MAX = 5
SPEC: dict[str, Any] = {
    "name": "find_contact",
    "description": "Find callers (contacts) by name, organization, e-mail or phone number "
    "(any format, or its last 4+ digits), each with their open tickets. Use it first when "
    "the agent pastes call notes: the contact's number is the contact_id other tools take.",
    "parameters": {
        "type": "object",
        "properties": {
            "query": {
                "type": "string",
                "description": "A name, organization, e-mail or phone number",
            }
        },
        "required": ["query"],
    },
}


class FindContactArgs(ToolArgs):
    query: str = Field(min_length=1, max_length=200)

    @field_validator("query")
    @classmethod
    def _words(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must name someone: a name, e-mail or phone number")
        return value


label = quoting_label("query", "Looking up caller “{}”…", "Looking up a caller…")


async def find_contact(
    db: AsyncSession, args: FindContactArgs, context: ToolContext
) -> ToolOutcome:
    if not any(c.isalnum() for c in args.query):
        return tool_error(
            "invalid_arguments", "find_contact needs a name, organization, e-mail or phone."
        )
    page = await contact_service.find_contacts(
        db=db, q=args.query, region=context.phone_region, limit=FOUND_MAX
    )
    open_tickets = await open_tickets_of(db, [c.id for c in page.items])
    contacts = []
    for contact in page.items:
        shown = for_model(contact)
        shown["open_tickets"] = [
            {k: t[k] for k in ("number", "title", "status", "priority")}
            for t in open_tickets[contact.id]
        ]
        contacts.append(shown)
    count = len(contacts)
    return ToolOutcome(
        status="ok",
        result={"contacts": contacts, "total": count, "query": args.query},
        summary=f"Found {count} caller{'s' if count != 1 else ''} for '{args.query}'",
        ticket_ids=[t["id"] for c in page.items for t in open_tickets[c.id]],
        contact_ids=[c.id for c in page.items],
    )


TOOL = Tool(spec=SPEC, args=FindContactArgs, label=label, handler=find_contact, finds=True)
