"""A small model's context window (issue 13, item 5): with DESKPILOT_LLM_CONTEXT_WINDOW the
history, a long transcript, the tools and the reply fit it; a server that still answers
"maximum context length" gets the history halved once, and the chat recovers."""

import json
import uuid

import pytest

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage
from deskpilot.services.chat.tools import TOOL_SPECS
from tests.chat.helpers import Client, new_session, send, use_fake
from tests.chat.reads import stored_messages
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, status, text

WINDOW = 4096
TOO_LONG = (
    "This model's maximum context length is 4096 tokens. However, your messages resulted "
    "in 9000 tokens. Please reduce the length of the messages."
)
FILLER = "The customer called again about the printer on floor 2, tray 2 jams. " * 8


@pytest.fixture
async def long_chat(client: Client) -> str:
    """The id of a chat with 30 long exchanges stored (some 9,000 tokens, more than the
    4,096-token window)."""
    session_id: str = (await new_session(client))["id"]
    async with session_factory()() as db:
        for i in range(30):
            for role in ("user", "assistant"):
                db.add(
                    ChatMessage(
                        session_id=uuid.UUID(session_id), role=role, content=f"{i}. {FILLER}"
                    )
                )
                await db.flush()
        await db.commit()
    return session_id


def request_tokens(body: dict[str, object]) -> int:
    """The request's size at 4 characters a token, tools and the reply's limit included."""
    sent = json.dumps(body["messages"]) + json.dumps(body.get("tools", []))
    return len(sent) // 4 + int(str(body["max_tokens"]))


async def test_history_and_a_long_transcript_fit_the_window(
    server: LiveServer, client: Client, long_chat: str, openai_fake: FakeOpenAIServer
) -> None:
    window = 3000  # the transcript alone (~1,900 tokens) does not fit beside the rest
    use_fake(server, openai_fake, llm_context_window=window)
    transcript = "START of the call. " + "Caller: it still jams. Agent: noted. " * 200 + "END."
    openai_fake.script(text("Summary: the printer jams."))

    response = await send(client, long_chat, f"Summarize this call:\n{transcript}")

    assert response.status_code == 200, response.text
    [body] = openai_fake.requests
    assert request_tokens(body) <= window
    assert int(str(body["max_tokens"])) <= window // 4
    assert "cut to fit" in body["messages"][-1]["content"]
    last = body["messages"][-1]["content"]
    assert last.startswith("Summarize this call:\nSTART of the call.") and last.endswith("END.")
    assert len(TOOL_SPECS) == len(body["tools"])


async def test_without_a_window_the_history_budget_alone_applies(
    server: LiveServer, client: Client, long_chat: str, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(text("Fine."))

    await send(client, long_chat, "and now?")

    assert request_tokens(openai_fake.requests[0]) > WINDOW  # the default budget is 12,000


async def test_a_context_length_error_is_retried_once_with_half_the_history(
    server: LiveServer, client: Client, long_chat: str, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(
        status(400, message=TOO_LONG),
        text("Recovered."),
        status(400, message=TOO_LONG),
        text("Still fine."),
    )

    first = await send(client, long_chat, "what was the first call about?")
    second = await send(client, long_chat, "and the last one?")

    assert (first.status_code, first.json()["content"]) == (200, "Recovered."), first.text
    assert (second.status_code, second.json()["content"]) == (200, "Still fine.")
    history = [len(json.dumps(body["messages"][1:])) for body in openai_fake.requests]
    assert history[1] <= history[0] * 0.55 and history[3] <= history[2] * 0.55
    assert openai_fake.requests[1]["messages"][-1]["content"] == "what was the first call about?"


async def test_a_context_length_error_twice_fails_with_a_plain_reason(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(status(400, message=TOO_LONG), status(400, message=TOO_LONG))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 502
    assert response.json()["error"]["message"].startswith("The conversation is too long")
    assert [m.status for m in await stored_messages(session["id"])] == ["complete", "failed"]
