"""A hung model ends the turn at the deadline of one model call (retries included): the
user gets the timeout error, their message stays, and Stop still ends the turn at once."""

import asyncio
import time

from tests.chat.helpers import Client, FakeServer, new_session, send, stream_message, use_fake
from tests.chat.reads import stored_messages
from tests.conftest import LiveServer
from tests.fakes import text
from tests.support.sse import iter_events

TIMEOUT, RETRIES, DEADLINE = 2.0, 2, 3.0


def hang(server: LiveServer, fake: FakeServer, deadline: float = DEADLINE) -> None:
    use_fake(
        server,
        fake,
        llm_timeout_seconds=TIMEOUT,
        llm_max_retries=RETRIES,
        llm_deadline_seconds=deadline,
    )
    # A first quick answer, so that the SDK's first import (seconds, on first use) is not
    # timed; then every request, the retries' too, waits a minute for its first byte.
    fake.script(text("Hello."), text("Never sent.", delay=60, repeat_forever=True))


async def test_a_hung_model_answers_504_at_the_deadline_and_keeps_the_message(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    hang(server, fake)
    session = await new_session(client)
    assert (await send(client, session["id"], "hello")).status_code == 200

    started = time.monotonic()
    response = await send(client, session["id"], "is the VPN down again?")
    elapsed = time.monotonic() - started

    assert response.status_code == 504, response.text
    assert response.json()["error"]["code"] == "provider_timeout"
    assert response.json()["error"]["message"] == (
        "The AI model took too long to answer. Try again in a moment."
    )
    assert DEADLINE - 0.1 <= elapsed < (RETRIES + 1) * TIMEOUT - 1
    stored = (await stored_messages(session["id"]))[2:]
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", "is the VPN down again?", "complete"),
        ("assistant", "", "failed"),
    ]
    assert stored[1].error["code"] == "timeout"


async def test_stop_still_ends_a_turn_waiting_on_a_hung_model_at_once(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    hang(server, fake, deadline=60)
    session = await new_session(client)
    assert (await send(client, session["id"], "hello")).status_code == 200

    async with stream_message(client, session["id"], "hello?") as response:
        async for name, _ in iter_events(response):
            if name == "user_message":
                break  # the user presses Stop while the model has not answered
    stopped = time.monotonic()

    while len(await stored_messages(session["id"])) < 4:
        assert time.monotonic() - stopped < TIMEOUT, "the turn did not end at Stop"
        await asyncio.sleep(0.02)
    stored = (await stored_messages(session["id"]))[2:]
    assert [(m.role, m.status) for m in stored] == [
        ("user", "complete"),
        ("assistant", "incomplete"),
    ]
