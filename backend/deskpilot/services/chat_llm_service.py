"""The model loop: ask the model, run the tools it proposes, feed results back, repeat.

Each proposed tool call moves through explicit states (proposed → approved → executed →
answered). A write the agent must approve comes back from the executor as a proposal
(status "proposed"): the loop then ends after that round, awaiting the agent
(TurnResult.awaiting_approval), and a continuation (chat/proposals/continuation.py) starts
it again from the next round once the agent has decided. The loop ends with the model's
final answer, or after `max_rounds` rounds of tool calls, when the model is asked once
more without tools.
"""

import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from deskpilot.llm.text_tool_calls import lenient_json
from deskpilot.llm.types import (
    ChatModel,
    ConversationContext,
    Message,
    ModelTurn,
    ProviderError,
    TextDelta,
    ToolCall,
    Usage,
)
from deskpilot.services.chat.context_fit import halved
from deskpilot.services.chat.tools import TOOL_SPECS
from deskpilot.services.chat.tools.base import ToolOutcome
from deskpilot.services.chat.tools.executor import ChatToolExecutor

ToolCallState = Literal["proposed", "approved", "executed", "answered"]
ROUNDS_EXHAUSTED_NOTE = (
    "You have used all tool rounds for this message. Answer the agent now with what you have, "
    "without calling tools."
)
EMPTY_ANSWER_NOTE = (
    "Your last answer was empty. Answer the agent now in plain words, without calling tools."
)
ROUNDS_EXHAUSTED_FALLBACK = (
    "I stopped after several rounds of tool calls without reaching an answer. "
    "Could you rephrase or narrow down the request?"
)


@dataclass
class ToolCallRun:
    call: ToolCall
    round: int
    state: ToolCallState = "proposed"
    outcome: ToolOutcome | None = None

    def record_arguments(self) -> Any:
        """Parsed arguments (repaired if sloppy), or the raw text when nothing is readable."""
        parsed = lenient_json(self.call.arguments or "{}")
        return self.call.arguments if parsed is None else parsed

    def record(self) -> dict[str, Any]:
        """The stored form: enough to show it to people and to replay it to the model."""
        assert self.outcome is not None
        return {
            "id": self.call.id,
            "round": self.round,
            "name": self.call.name,
            "arguments": self.record_arguments(),
            "raw_arguments": self.call.arguments,
            "status": self.outcome.status,
            **({"proposal_id": str(self.outcome.write_id)} if self.outcome.write_id else {}),
            "summary": self.outcome.summary,
            "duration_ms": self.outcome.duration_ms,
            "ticket_ids": [str(t) for t in self.outcome.ticket_ids],
            "mutated": [str(t) for t in self.outcome.mutated],
            **(
                {"contact_ids": [str(c) for c in self.outcome.contact_ids]}
                if self.outcome.contact_ids
                else {}
            ),
            "result": self.outcome.result,
        }


@dataclass(frozen=True)
class ToolEvent:
    run: ToolCallRun


class ToolStarted(ToolEvent):
    """Yielded before the call runs."""


class ToolFinished(ToolEvent):
    """Yielded once the call has run: its outcome is in the run."""


@dataclass
class TurnResult:
    text: str = ""
    runs: list[ToolCallRun] = field(default_factory=list)
    rounds_exhausted: bool = False
    awaiting_approval: bool = False  # paused on proposed writes
    model_calls: int = 0
    model_seconds: float = 0.0  # spent in model calls, retries included
    usage: Usage | None = None  # added up over the calls that reported it; None: none did

    def count(self, usage: Usage | None) -> None:
        if usage is not None:
            self.usage = usage if self.usage is None else self.usage + usage


LoopEvent = TextDelta | ToolStarted | ToolFinished


class ChatLLMService:
    def __init__(
        self, *, model: ChatModel, executor: ChatToolExecutor, max_rounds: int = 5
    ) -> None:
        self.model = model
        self.executor = executor
        self.max_rounds = max_rounds

    async def execute_tool(
        self, tool_name: str, args: dict[str, Any] | str, *, call_id: str = ""
    ) -> ToolOutcome:
        """One call as the user; its `result` is what the model sees."""
        return await self.executor.execute(tool_name, args, call_id=call_id)

    async def process_message(
        self,
        *,
        system: str,
        history: Sequence[Message],
        context: ConversationContext,
        result: TurnResult,
        first_round: int = 0,
    ) -> AsyncIterator[LoopEvent]:
        """Stream the turn's events; `result` is filled in as the turn goes (also on failure).
        A continued turn starts at `first_round`: the rounds before it count to the cap."""
        messages = list(history)
        for round_number in range(min(first_round, self.max_rounds), self.max_rounds + 1):
            last_round = round_number == self.max_rounds
            asked = _Asked()
            note = ROUNDS_EXHAUSTED_NOTE if last_round else ""
            async for event in self._ask(system, note, messages, context, result, asked):
                yield event
            turn = asked.turn
            if turn is None or not turn.tool_calls:
                if turn is not None and not turn.text.strip():
                    async for event in self._instead_of_nothing(system, messages, context, result):
                        yield event
                return
            if last_round:
                result.rounds_exhausted = True
                if not result.text.strip():
                    result.text = ROUNDS_EXHAUSTED_FALLBACK
                    yield TextDelta(ROUNDS_EXHAUSTED_FALLBACK)
                return
            runs = [ToolCallRun(call=call, round=round_number) for call in turn.tool_calls]
            messages.append(
                Message(role="assistant", content=turn.text, tool_calls=turn.tool_calls)
            )
            for run in runs:
                yield ToolStarted(run)
                run.state = "approved"
                run.outcome = await self.execute_tool(
                    run.call.name, run.call.arguments, call_id=run.call.id
                )
                run.state = "executed"
                result.runs.append(run)
                yield ToolFinished(run)
            if any(run.outcome and run.outcome.status == "proposed" for run in runs):
                result.awaiting_approval = True  # the agent decides; the turn goes on then
                return
            for run in runs:
                assert run.outcome is not None
                messages.append(
                    Message(
                        role="tool",
                        content=json.dumps(run.outcome.result, ensure_ascii=False),
                        tool_call_id=run.call.id,
                        tool_name=run.call.name,
                        is_error=run.outcome.status != "ok",
                    )
                )
                run.state = "answered"

    async def _ask(
        self,
        system: str,
        note: str,
        messages: list[Message],
        context: ConversationContext,
        result: TurnResult,
        asked: "_Asked",
    ) -> AsyncIterator[LoopEvent]:
        """One model call: its text as it comes; the turn in `asked`."""
        for attempt in (1, 2):
            started, answered = time.perf_counter(), False
            try:
                async for event in self.model.stream_turn(
                    system=system + ("\n\n" + note if note else ""),
                    messages=messages,
                    # Tools stay declared even when the model must answer without them:
                    # Anthropic rejects tool history without them. Calls proposed then are
                    # not executed.
                    tools=TOOL_SPECS,
                    context=context,
                ):
                    answered = True
                    if isinstance(event, TextDelta):
                        result.text += event.text
                        yield event
                    else:
                        asked.turn = event
                        result.count(event.usage)
                return
            except ProviderError as exc:
                if exc.code != "context_length" or answered or attempt == 2:
                    raise
                # Once, with half the history: the chat recovers instead of failing at
                # once on every later message.
                messages[:] = halved(messages)
            finally:
                result.model_calls += 1
                result.model_seconds += time.perf_counter() - started

    async def _instead_of_nothing(
        self,
        system: str,
        messages: list[Message],
        context: ConversationContext,
        result: TurnResult,
    ) -> AsyncIterator[LoopEvent]:
        """An empty final answer: asked once more, then told from what the tools did; a
        turn in which nothing ran and nothing was said fails (the user can retry)."""
        asked = _Asked()
        async for event in self._ask(system, EMPTY_ANSWER_NOTE, messages, context, result, asked):
            yield event
        if asked.turn is not None and asked.turn.text.strip():
            return
        done = [
            run.outcome.summary
            for run in result.runs
            if run.outcome is not None and run.outcome.status in ("ok", "proposed")
        ]
        if not done:
            if not result.text.strip():
                raise ProviderError("empty", "The model answered with no text twice.")
            return
        told = " ".join(summary.rstrip(".") + "." for summary in done)
        said = result.text.rstrip()
        result.text = f"{said}\n\n{told}" if said else told
        yield TextDelta(told)


@dataclass
class _Asked:
    turn: ModelTurn | None = None
