"""Reading the conversation: the turn to answer, the tool results ending it, and what the
assistant knows when it reads the message (situation.py): the ticket "it" means, tickets it
has seen, its own previous answer."""

import re
from collections.abc import Sequence
from typing import Any

from deskpilot.llm.offline.results import parse_json_object, ticket_of, tickets_of
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.types import ConversationContext, Message
from deskpilot.services.tickets.refs import ticket_numbers_in

NOTICE_PREFIX = "[Deskpilot notice]"


def last_user_index(messages: Sequence[Message], before: int | None = None) -> int | None:
    end = len(messages) if before is None else before
    return next((i for i in range(end - 1, -1, -1) if messages[i].role == "user"), None)


def request_text(content: str) -> str:
    """A user message without the server's notices that were merged into it.

    Attach/detach notices reach models as user messages ("[Deskpilot notice] Attached #12
    (…).") and are joined to the agent's next message with a blank line.
    """
    paragraphs = [p for p in content.split("\n\n") if not p.lstrip().startswith(NOTICE_PREFIX)]
    return "\n\n".join(paragraphs).strip()


def trailing_tool_results(messages: Sequence[Message]) -> tuple[list[Message], int]:
    """The tool results that end the conversation and the index where they start."""
    start = len(messages)
    while start > 0 and messages[start - 1].role == "tool":
        start -= 1
    return list(messages[start:]), start


def attached_numbers(context: ConversationContext) -> tuple[int, ...]:
    numbers: list[int] = []
    for ticket in context.attached_tickets:
        number = ticket.get("number")
        if isinstance(number, int) or (isinstance(number, str) and number.isdigit()):
            numbers.append(int(number))
    return tuple(dict.fromkeys(numbers))


def situation_before(
    messages: Sequence[Message], index: int, context: ConversationContext
) -> Situation:
    """What messages[index] may point at: attached tickets, the previous exchange's ticket,
    every ticket seen in that exchange, and the assistant's answer to it."""
    previous = last_user_index(messages, before=index)
    seen: dict[int, dict[str, Any]] = {}
    for ticket in context.attached_tickets:
        if isinstance(ticket.get("number"), int):
            seen[ticket["number"]] = dict(ticket)
    numbers: list[int] = []
    reply: str | None = None
    previous_request: str | None = None
    if previous is not None:
        previous_request = request_text(messages[previous].content)
        numbers.extend(ticket_numbers_in(previous_request))
        for message in messages[previous + 1 : index]:
            numbers.extend(_numbers_in(message, seen))
            if message.role == "assistant" and message.content:
                reply = message.content
    distinct = list(dict.fromkeys(numbers))
    return Situation(
        attached=attached_numbers(context),
        recent=distinct[0] if len(distinct) == 1 else _created_in(messages, previous, index),
        seen=seen,
        agents=context.agents,
        user_name=context.user_name,
        previous_request=previous_request,
        previous_reply=reply,
    )


def _created_in(messages: Sequence[Message], previous: int | None, index: int) -> int | None:
    """After "create a ticket … and the VPN one": the last ticket created, if one was."""
    if previous is None:
        return None
    for message in reversed(messages[previous + 1 : index]):
        if message.role == "tool" and message.tool_name == "create_ticket":
            ticket = ticket_of(parse_json_object(message.content) or {})
            if ticket is not None and isinstance(ticket.get("number"), int):
                return int(ticket["number"])
    return None


def _numbers_in(message: Message, seen: dict[int, dict[str, Any]]) -> list[int]:
    if message.role == "tool":
        data = parse_json_object(message.content) or {}
        found = [ticket_of(data), *tickets_of(data)]
        numbers = []
        for ticket in found:
            if ticket is not None and isinstance(ticket.get("number"), int):
                seen[ticket["number"]] = ticket
                numbers.append(ticket["number"])
        return numbers
    found_numbers = [int(n) for n in re.findall(r"#(\d{1,18})\b", message.content)]
    for call in message.tool_calls:
        ticket_id = (parse_json_object(call.arguments) or {}).get("ticket_id")
        if isinstance(ticket_id, int):
            found_numbers.append(ticket_id)
    return found_numbers


def prior_call_count(messages: Sequence[Message]) -> int:
    return sum(len(m.tool_calls) for m in messages)
