"""find_similar_tickets: open and in-progress tickets like a new problem (the duplicate
check before creating one), the same caller's first."""

from typing import Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.schemas.common import DESCRIPTION_MAX, TITLE_MAX
from deskpilot.services.chat.contact_view import contact_by_number
from deskpilot.services.chat.tools.base import (
    ContactNumber,
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    quoting_label,
)
from deskpilot.services.tickets.similar import similar_tickets

SIMILAR_MAX = 5
SPEC: dict[str, Any] = {
    "name": "find_similar_tickets",
    "description": "Find open or in-progress tickets that look like the same problem, before "
    "creating a ticket: if one matches, add a note to it instead of creating a duplicate.",
    "parameters": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "The problem in a few words"},
            "description": {"type": "string", "description": "More detail about the problem"},
            "contact_id": {
                "type": "integer",
                "description": "The caller's contact number, to rank their own tickets first",
            },
        },
        "required": ["title"],
    },
}


class FindSimilarArgs(ToolArgs):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    contact_id: ContactNumber | None = None


label = quoting_label("title", "Checking for tickets like “{}”…", "Checking for similar tickets…")


async def find_similar_tickets(
    db: AsyncSession, args: FindSimilarArgs, context: ToolContext
) -> ToolOutcome:
    contact = await contact_by_number(db, args.contact_id) if args.contact_id else None
    found = await similar_tickets(
        db=db,
        title=args.title,
        description=args.description,
        contact_id=contact.id if contact else None,
        limit=SIMILAR_MAX,
    )
    tickets = [
        {
            "number": item.number,
            "title": item.title,
            "status": item.status,
            "priority": item.priority,
            "score": item.score,
            "matched_words": item.matched_words,
            "contact_id": item.contact.number if item.contact else None,
        }
        for item in found.items
    ]
    count = len(tickets)
    return ToolOutcome(
        status="ok",
        result={"tickets": tickets, "total": count},
        summary=f"Found {count} similar ticket{'s' if count != 1 else ''}",
        ticket_ids=[item.id for item in found.items],
        tickets=list(found.items),
        contact_ids=[contact.id] if contact else [],
    )


TOOL = Tool(spec=SPEC, args=FindSimilarArgs, label=label, handler=find_similar_tickets, finds=True)
