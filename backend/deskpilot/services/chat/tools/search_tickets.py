"""search_tickets: ranked full-text search, the chat's most frequent tool."""

from typing import Any, Literal

from pydantic import Field

from deskpilot.core.db import Reader
from deskpilot.services.chat.ticket_view import row_for_model
from deskpilot.services.chat.tools.base import (
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    quoting_label,
)
from deskpilot.services.tickets.queries import summary_of_row
from deskpilot.services.tickets.search import search_rows

SPEC: dict[str, Any] = {
    "name": "search_tickets",
    "description": "Search for tickets by keyword or filter",
    "parameters": {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "Search query"},
            "status": {
                "type": "string",
                "enum": ["open", "in_progress", "resolved", "closed", "all"],
                "description": "Filter by status",
            },
            "limit": {"type": "integer", "description": "Max results to return", "default": 10},
        },
        "required": ["query"],
    },
}


class SearchTicketsArgs(ToolArgs):
    query: str = Field(max_length=200)
    status: Literal["open", "in_progress", "resolved", "closed", "all"] = "all"
    limit: int = Field(default=10, ge=1, le=50)


label = quoting_label("query", "Searching tickets for “{}”…", "Searching tickets…")


async def search_tickets(db: Reader, args: SearchTicketsArgs, context: ToolContext) -> ToolOutcome:
    found = await search_rows(
        db=db,
        q=args.query,
        status=None if args.status == "all" else args.status,
        limit=args.limit,
        headlines=False,
    )
    hits = found.hits
    tickets = [row_for_model(row) for row, _, _ in hits]
    for ticket in tickets:
        ticket["description"] = ticket["description"][:300]
    result: dict[str, Any] = {
        "tickets": tickets,
        "total": len(tickets),
        "query": args.query,
        "status": args.status,
    }
    if found.approximate:  # some tickets match the words only as respelt
        result["approximate"] = True
        result["did_you_mean"] = found.did_you_mean
    return ToolOutcome(
        status="ok",
        result=result,
        summary=f"Found {len(tickets)} ticket{'s' if len(tickets) != 1 else ''} for '{args.query}'",
        ticket_ids=[row.id for row, _, _ in hits],
        tickets=[summary_of_row(row) for row, _, _ in hits],
    )


# It only reads, so it needs no transaction: the turn's own connection serves it.
TOOL = Tool(SPEC, SearchTicketsArgs, label, search_tickets, on_turn_connection=True, finds=True)
