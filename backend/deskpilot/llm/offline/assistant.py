"""The built-in offline assistant: the default ChatModel when no model is configured.

It is deterministic and never touches the network. One turn either
  - reads the last user message (intents.py) and proposes tool calls, or answers
    in text when no tool is needed or it must ask first (texts.py), or
  - when the conversation ends with tool results, writes the final answer from them
    (replies.py), re-reading the user message those calls answered.
It never proposes tools after tool results, so the chat loop always ends in two turns.
"""

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Sequence
from typing import Final

from deskpilot.llm.offline.call_notes import read_call
from deskpilot.llm.offline.history import (
    last_user_index,
    prior_call_count,
    request_text,
    situation_before,
    trailing_tool_results,
)
from deskpilot.llm.offline.intake import (
    INTAKE_TOOLS,
    answer,
    calls_so_far,
    confirmed_note,
    next_calls,
)
from deskpilot.llm.offline.intake import Call as IntakeCall
from deskpilot.llm.offline.intents import plan_reply
from deskpilot.llm.offline.plan import Plan
from deskpilot.llm.offline.replies import final_reply
from deskpilot.llm.offline.results import outcomes
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.offline.texts import text_reply, unavailable_reply
from deskpilot.llm.offline.title import session_title
from deskpilot.llm.types import (
    NO_TOKENS,
    Completion,
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
        yield dataclasses.replace(turn, usage=NO_TOKENS)  # no model, no tokens

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        return Completion(text=session_title(prompt), usage=NO_TOKENS)

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
        situation = situation_before(messages, user_index, context)
        text = request_text(messages[user_index].content)
        offered = {tool.name for tool in tools}
        if offered >= INTAKE_TOOLS:
            intake = _intake(text, messages, user_index, situation, context)
            if intake is not None:
                return intake
        plan = plan_reply(text, situation)
        if results:
            proposer = messages[start - 1] if start > 0 else None
            return ModelTurn(text=final_reply(plan, outcomes(results, proposer)))
        unsure = plan.intent == "confirm" and not context.writes_need_approval
        if not plan.calls or unsure:
            return ModelTurn(text=text_reply(plan))
        missing = sorted({call.name for call in plan.calls} - offered)
        if missing:
            return ModelTurn(text=unavailable_reply(missing))
        first = prior_call_count(messages) + 1
        calls = tuple(
            ToolCall(id=f"call_{first + i}", name=call.name, arguments=json.dumps(call.arguments))
            for i, call in enumerate(plan.calls)
        )
        return ModelTurn(text="", tool_calls=calls, stop_reason="tool_calls")


def _intake(
    text: str,
    messages: Sequence[Message],
    user_index: int,
    situation: Situation,
    context: ConversationContext,
) -> ModelTurn | None:
    """Call notes taken in (intake.py), or "yes" to adding them to the ticket; None when
    the message is neither."""
    first = prior_call_count(messages) + 1
    since = messages[user_index + 1 :]
    note_call = confirmed_note(text, situation.previous_request, situation.previous_reply)
    if note_call is not None:  # "yes" to adding the call notes to the ticket
        return _turn(answer(calls_so_far(since)), []) if since else _turn("", [note_call], first)
    if since and not any(m.role == "tool" for m in since):
        return None
    desk = frozenset(str(a.get("email", "")).casefold() for a in context.agents)
    note = read_call(text, desk_emails=desk)
    if note is None:
        return None
    said, calls = next_calls(note, calls_so_far(since), at_once=not context.writes_need_approval)
    return _turn(said, calls, first)


def _turn(text: str, calls: Sequence[IntakeCall], first: int = 1) -> ModelTurn:
    if not calls:
        return ModelTurn(text=text)
    tool_calls = tuple(
        ToolCall(id=f"call_{first + i}", name=c.name, arguments=json.dumps(c.arguments))
        for i, c in enumerate(calls)
    )
    return ModelTurn(text=text, tool_calls=tool_calls, stop_reason="tool_calls")


def text_chunks(text: str, words: int = WORDS_PER_DELTA) -> list[str]:
    """Cut text into groups of words, keeping every character: "".join(chunks) == text."""
    tokens = re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
    return ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
