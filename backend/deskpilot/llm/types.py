"""Provider-neutral types for talking to a chat model with tools.

Every provider (OpenAI-compatible, Anthropic, the offline assistant) implements
`ChatModel`: one call runs one model turn and yields text deltas as they arrive,
then exactly one `ModelTurn` with the whole text and the tool calls the model
proposed. The chat loop in backend/deskpilot/services/chat_llm_service.py executes the tool
calls and calls `stream_turn` again with the results appended.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # raw JSON text as the model sent it; may be invalid


@dataclass(frozen=True)
class Message:
    role: Literal["user", "assistant", "tool"]
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()  # assistant turns that proposed tools
    tool_call_id: str | None = None  # tool results: which call this answers
    tool_name: str | None = None  # tool results: the tool's name
    is_error: bool = False  # tool results: the tool failed or refused


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Usage:
    """Tokens one or more model calls consumed, as the provider reported them. Input counts
    every prompt token, cached or not (Anthropic reports cache reads and writes apart)."""

    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens
        )


NO_TOKENS = Usage()


@dataclass(frozen=True)
class ModelTurn:
    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    stop_reason: str = "stop"
    usage: Usage | None = None  # None: the server reported none (some compatible servers)


@dataclass(frozen=True)
class Completion:
    """A short plain-text answer (`ChatModel.complete`) and what it cost."""

    text: str
    usage: Usage | None = None


ModelEvent = TextDelta | ModelTurn


@dataclass(frozen=True)
class ConversationContext:
    """Facts the server knows about the conversation.

    Remote models see these through the system prompt; the offline assistant,
    which cannot read prose, reads them here.
    """

    user_name: str
    today: str  # ISO date
    attached_tickets: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    # each: {"id", "number", "title", "status", "priority", "category", "source",
    #        "description", "notes": [str, ...]}
    agents: tuple[dict[str, str], ...] = field(default_factory=tuple)
    # the desk's active people, each {"name", "email"}: filled for the offline assistant,
    # which asks "Tom Becker or Tom Lindqvist?" rather than guess (remote models are told
    # by update_ticket's answer)
    writes_need_approval: bool = False
    # the agent approves each write on a card: the offline assistant then proposes a write
    # it is unsure of (the card is the question) instead of asking "Close #60?" in text


ProviderErrorCode = Literal[
    "rate_limited", "unavailable", "timeout", "bad_response", "auth", "context_length", "empty"
]

# What the user reads for each kind of failure; the details go to the log.
PLAIN_ERRORS: dict[str, str] = {
    "unavailable": "The AI model could not be reached. Try again in a moment.",
    "timeout": "The AI model took too long to answer. Try again in a moment.",
    "rate_limited": "The AI model is busy right now. Try again in a moment.",
    "bad_response": "The AI model rejected the request or answered in a way Deskpilot "
    "could not use. Try again or rephrase.",
    "auth": "The AI model refused Deskpilot's credentials. Ask an administrator to check them.",
    "context_length": "The conversation is too long for the AI model. Start a new chat or "
    "detach some tickets.",
    "empty": "The AI model gave an empty answer. Try again or rephrase.",
}


class ProviderError(Exception):
    """The model could not be reached or answered unusably (after retries)."""

    def __init__(self, code: ProviderErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def plain(self) -> str:
        """One sentence for the user; `message` holds the details, for the log."""
        return PLAIN_ERRORS[self.code]

    @property
    def http_status(self) -> int:
        return 504 if self.code == "timeout" else 502


class ChatModel(Protocol):
    provider: str  # "openai" | "anthropic" | "offline"
    model: str
    offline: bool

    def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        """Yield TextDelta events, then exactly one ModelTurn. Raise ProviderError on failure.

        Retries (429, 5xx, connection errors) happen inside, before the first event.
        """
        ...

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        """One short plain-text answer without tools (used for session titles)."""
        ...

    async def aclose(self) -> None:
        """Release the client's connections (at shutdown)."""
        ...
