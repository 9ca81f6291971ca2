"""Reading the conversation: the turn to answer, the tool results ending it, the ticket "it" means."""

from collections.abc import Sequence

from deskpilot.llm.offline.refs import TicketRefs, numbers_in_text, strong_refs
from deskpilot.llm.offline.results import parse_json_object, ticket_of, tickets_of
from deskpilot.llm.types import ConversationContext, Message


def last_user_index(messages: Sequence[Message], before: int | None = None) -> int | None:
    end = len(messages) if before is None else before
    return next((i for i in range(end - 1, -1, -1) if messages[i].role == "user"), None)


NOTICE_PREFIX = "[Deskpilot notice]"


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


def ticket_refs_before(
    messages: Sequence[Message], index: int, context: ConversationContext
) -> TicketRefs:
    """What "it" may mean in messages[index]: attached tickets, or the previous exchange's one."""
    previous = last_user_index(messages, before=index)
    numbers: list[int] = []
    if previous is not None:
        numbers.extend(strong_refs(request_text(messages[previous].content)))
        for message in messages[previous + 1 : index]:
            numbers.extend(_numbers_in(message))
    distinct = list(dict.fromkeys(numbers))
    recent = distinct[0] if len(distinct) == 1 else None
    return TicketRefs(attached=attached_numbers(context), recent=recent)


def _numbers_in(message: Message) -> list[int]:
    if message.role == "tool":
        data = parse_json_object(message.content) or {}
        found = [ticket_of(data), *tickets_of(data)]
        return [t["number"] for t in found if t is not None and isinstance(t.get("number"), int)]
    numbers = numbers_in_text(message.content)
    for call in message.tool_calls:
        ticket_id = (parse_json_object(call.arguments) or {}).get("ticket_id")
        if isinstance(ticket_id, int):
            numbers.append(ticket_id)
    return numbers


def prior_call_count(messages: Sequence[Message]) -> int:
    return sum(len(m.tool_calls) for m in messages)
