"""Tool results as the offline assistant reads them: paired with their calls, parsed leniently.

Expected shapes (others are read as far as they go):
  create/get/update → {"ticket": {id, number, title, status, priority, category, ...},
                       "changes": [...]?}
  search            → {"tickets": [{...summary...}], "total": n, "query": "..."}
  any failure       → {"error": {"code": "not_found" | "refused" | ..., "message": "..."}}
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from deskpilot.llm.types import Message


@dataclass(frozen=True)
class ToolOutcome:
    name: str
    arguments: dict[str, Any]  # what the call asked for ({} if unknown)
    data: dict[str, Any]  # the parsed result
    is_error: bool = False


def parse_json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def outcomes(results: Sequence[Message], proposer: Message | None) -> list[ToolOutcome]:
    """Pair each tool result with the arguments of the call it answers."""
    calls = {call.id: call for call in proposer.tool_calls} if proposer is not None else {}
    paired: list[ToolOutcome] = []
    for result in results:
        call = calls.get(result.tool_call_id or "")
        arguments = parse_json_object(call.arguments) if call is not None else None
        data = parse_json_object(result.content)
        if data is None:
            data = {"error": result.content} if result.is_error else {"raw": result.content}
        name = result.tool_name or (call.name if call is not None else "unknown")
        paired.append(ToolOutcome(name, arguments or {}, data, result.is_error))
    return paired


def error_of(outcome: ToolOutcome) -> tuple[str, str] | None:
    """(code, message) when the tool failed or refused, else None."""
    error = outcome.data.get("error")
    if error is None and not outcome.is_error:
        return None
    if isinstance(error, dict):
        code = str(error.get("code") or "error")
        message = str(error.get("message") or error.get("detail") or "")
    else:
        code, message = "error", str(error or outcome.data.get("message") or "")
    return code, _plain_message(message)


def _plain_message(message: str) -> str:
    """ "Refused: Ticket 99 …" → "ticket 99 …", to follow "I couldn't update #99: "."""
    message = re.sub(r"^(?:refused|error)\s*:\s*", "", message.strip(), flags=re.IGNORECASE)
    if not message:
        return "the tool reported an error without details"
    return message[0].lower() + message[1:] if message[1:2].islower() else message


def ticket_of(data: dict[str, Any]) -> dict[str, Any] | None:
    ticket = data.get("ticket", data)
    return ticket if isinstance(ticket, dict) and "title" in ticket else None


def tickets_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("tickets", "items", "results"):
        items = data.get(key)
        if isinstance(items, list):
            return [t for t in items if isinstance(t, dict)]
    return []
