"""A streamed reply sends an SSE comment while the model is silent, so proxies that close
idle responses (nginx: 60 s) keep the stream open; the turn still completes."""

import httpx
import pytest

from deskpilot.services.chat import events as chat_events
from tests.chat.helpers import FakeServer, new_session, stream_message, use_fake
from tests.chat.reads import stored_messages
from tests.conftest import LiveServer
from tests.fakes import text

PING_LINE = chat_events.PING.decode().split("\n")[0]  # ": ping"


async def test_a_silent_model_gets_pings_and_the_turn_completes(
    server: LiveServer,
    client: httpx.AsyncClient,
    openai_fake: FakeServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chat_events, "PING_INTERVAL_SECONDS", 0.1)
    use_fake(server, openai_fake)
    # The model says nothing for ten ping intervals before its answer.
    openai_fake.script(text("The printer ticket is #4.", delay=1.0))
    session = await new_session(client)

    async with stream_message(client, session["id"], "which ticket is the printer?") as response:
        assert response.status_code == 200
        lines = [line async for line in response.aiter_lines()]

    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events[0] == "user_message"
    assert events[-2:] == ["assistant_message", "done"]
    first_text = lines.index("event: text_delta")
    pings = [i for i, line in enumerate(lines) if line == PING_LINE]
    assert pings, lines
    assert lines.index("event: user_message") < pings[0] < first_text
    for i in pings:  # each ping is a block of its own, between events
        assert lines[i - 1] == "" and lines[i + 1] == ""

    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
    assert stored[-1].content == "The printer ticket is #4."


async def test_a_talkative_model_gets_no_pings(
    server: LiveServer, client: httpx.AsyncClient, openai_fake: FakeServer
) -> None:
    """At the real interval, a prompt reply carries nothing but its events."""
    session = await new_session(client)
    use_fake(server, openai_fake)
    openai_fake.script(text("Hello there."))
    async with stream_message(client, session["id"], "hi") as response:
        body = await response.aread()
    assert chat_events.PING not in body
    assert body.endswith(b"event: done\ndata: {}\n\n")
