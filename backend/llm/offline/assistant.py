"""The built-in offline assistant: the default ChatModel when no model is configured.

It is deterministic and never touches the network. One turn either
  - reads the last user message (intents.py) and proposes tool calls, or answers
    in text when no tool is needed (texts.py), or
  - when the conversation ends with tool results, writes the final answer from them
    (replies.py), re-reading the user message those calls answered.
It never proposes tools after tool results, so the chat loop always ends in two turns.
"""

import json
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Final

from deskpilot.llm.offline.create import TITLE_MAX_CHARS, make_title
from deskpilot.llm.offline.history import (
    last_user_index,
    outcomes,
    prior_call_count,
    request_text,
    ticket_refs_before,
    trailing_tool_results,
)
from deskpilot.llm.offline.intents import Plan, plan_reply
from deskpilot.llm.offline.replies import final_reply
from deskpilot.llm.offline.texts import text_reply, unavailable_reply
from deskpilot.llm.types import (
    ConversationContext,
    Message,
    ModelEvent,
    ModelTurn,
    TextDelta,
    ToolCall,
    ToolSpec,
)

WORDS_PER_DELTA: Final = 4


class OfflineAssistant:
    provider = "offline"
    model = "deskpilot-offline"
    offline = True

    def __init__(self) -> None:
        pass

    async def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        turn = self.respond(messages=messages, tools=tools, context=context)
        for chunk in text_chunks(turn.text):
            yield TextDelta(chunk)
        yield turn

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> str:
        return session_title(prompt)

    async def aclose(self) -> None:
        pass  # no connections

    def respond(
        self,
        *,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> ModelTurn:
        """The whole turn at once; stream_turn only cuts its text into deltas."""
        results, start = trailing_tool_results(messages)
        user_index = last_user_index(messages, before=start)
        if user_index is None or (not results and messages[-1].role != "user"):
            return ModelTurn(text=text_reply(Plan("help")))  # nothing new to act on
        refs = ticket_refs_before(messages, user_index, context)
        plan = plan_reply(request_text(messages[user_index].content), refs)
        if results:
            proposer = messages[start - 1] if start > 0 else None
            return ModelTurn(text=final_reply(plan, outcomes(results, proposer)))
        if not plan.calls:
            return ModelTurn(text=text_reply(plan))
        offered = {tool.name for tool in tools}
        missing = sorted({call.name for call in plan.calls} - offered)
        if missing:
            return ModelTurn(text=unavailable_reply(missing))
        first = prior_call_count(messages) + 1
        calls = tuple(
            ToolCall(id=f"call_{first + i}", name=call.name, arguments=json.dumps(call.arguments))
            for i, call in enumerate(plan.calls)
        )
        return ModelTurn(text="", tool_calls=calls, stop_reason="tool_calls")


def text_chunks(text: str, words: int = WORDS_PER_DELTA) -> list[str]:
    """Cut text into groups of words, keeping every character: "".join(chunks) == text."""
    tokens = re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
    return ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]


_INSTRUCTION: Final = re.compile(
    r"^(?=.*\btitle\b)(?=.*\b(?:write|generate|create|give|make|suggest|summari[sz]e|short"
    r"|concise|words?)\b)|^(?:respond|reply|answer|return|only|do\s+not|don't)\b",
    re.IGNORECASE,
)
_LABEL: Final = re.compile(
    r"^(?:agent|user(?:\s+message)?|message|first\s+message|conversation|text|input)\s*:\s*",
    re.IGNORECASE,
)
_REPLY_PART: Final = re.compile(r"^\s*assistant\s*:", re.IGNORECASE | re.MULTILINE)


def session_title(prompt: str) -> str:
    """A short title for a chat from a prompt quoting its first message.

    Expects the chat service's "Agent: <message>\nAssistant: <reply>" but copes with any
    text: instruction lines are skipped and the assistant's part is ignored.
    """
    asked = _REPLY_PART.split(prompt, maxsplit=1)[0]
    lines = [_LABEL.sub("", ln.strip()) for ln in asked.splitlines()]
    kept = [ln for ln in lines if ln and not _INSTRUCTION.match(ln)]
    text = request_text(" ".join(kept or lines)).strip().strip("\"'“”")
    plan = plan_reply(text)
    numbers = [c.arguments["ticket_id"] for c in plan.calls if "ticket_id" in c.arguments]
    refs = ", ".join(f"#{n}" for n in numbers[:4])
    titles: dict[str, Callable[[], str]] = {
        "create": lambda: "New ticket: " + str(plan.calls[0].arguments["title"]),
        "get": lambda: ("Ticket " if len(numbers) == 1 else "Tickets ") + refs,
        "update": lambda: "Update " + refs,
        "search": lambda: _search_title(plan),
        "attached": lambda: "Attached tickets",
    }
    title = titles[plan.intent]() if plan.intent in titles else make_title(text or "New chat")
    return _fit(title)


def _search_title(plan: Plan) -> str:
    query = str(plan.calls[0].arguments.get("query", ""))
    return f"Search: {query}" if query else "Ticket search"


def _fit(title: str) -> str:
    if len(title) <= TITLE_MAX_CHARS:
        return title
    return title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
