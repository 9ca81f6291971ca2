"""The copilot's tools (spec §3), one module each; this registry is the only list of them."""

from deskpilot.llm.text_tool_calls import lenient_json
from deskpilot.llm.types import ToolCall, ToolSpec
from deskpilot.services.chat.tools import (
    create_contact,
    create_ticket,
    find_contact,
    find_similar_tickets,
    get_ticket,
    log_call,
    search_tickets,
    update_ticket,
)
from deskpilot.services.chat.tools.base import Tool

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        create_ticket.TOOL,
        get_ticket.TOOL,
        update_ticket.TOOL,
        search_tickets.TOOL,
        # callers (issue 15)
        find_contact.TOOL,
        create_contact.TOOL,
        find_similar_tickets.TOOL,
        log_call.TOOL,
    )
}
TOOL_DEFINITIONS = tuple(tool.spec for tool in TOOLS.values())
TOOL_SPECS: tuple[ToolSpec, ...] = tuple(
    ToolSpec(name=d["name"], description=d["description"], parameters=d["parameters"])
    for d in TOOL_DEFINITIONS
)


def tool_label(call: ToolCall) -> str:
    """What the page shows while a call runs."""
    tool = TOOLS.get(call.name)
    if tool is None:
        return f"Running {call.name[:40]}…"
    args = lenient_json(call.arguments or "{}")
    return tool.label(args if isinstance(args, dict) else {})


def finds(name: str) -> bool:
    """Whether the tool's tickets were only found (the reply refers to them by naming them)."""
    tool = TOOLS.get(name)
    return tool is not None and tool.finds
