"""The four tools of spec §3, declared once: these exact schemas are sent to every model."""

from typing import Any

from deskpilot.llm.types import ToolSpec

CREATE_TICKET: dict[str, Any] = {
    "name": "create_ticket",
    "description": "Create a new support ticket",
    "parameters": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "Short descriptive title for the ticket"},
            "description": {"type": "string", "description": "Detailed description of the issue"},
            "priority": {
                "type": "string",
                "enum": ["low", "medium", "high", "urgent"],
                "description": "Ticket priority level",
            },
            "category": {"type": "string", "description": "Category/type of the ticket"},
        },
        "required": ["title", "description"],
    },
}

GET_TICKET: dict[str, Any] = {
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

UPDATE_TICKET: dict[str, Any] = {
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
        },
        "required": ["ticket_id"],
    },
}

SEARCH_TICKETS: dict[str, Any] = {
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

TOOL_DEFINITIONS: tuple[dict[str, Any], ...] = (
    CREATE_TICKET,
    GET_TICKET,
    UPDATE_TICKET,
    SEARCH_TICKETS,
)
TOOL_SPECS: tuple[ToolSpec, ...] = tuple(
    ToolSpec(name=d["name"], description=d["description"], parameters=d["parameters"])
    for d in TOOL_DEFINITIONS
)
WRITE_TOOLS = frozenset({"create_ticket", "update_ticket"})
