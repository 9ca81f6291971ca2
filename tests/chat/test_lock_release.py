"""A client may send its next message as soon as it has the reply: the session's lock is
released before the reply (or the error) leaves the server, on the JSON and the SSE path.

The unlock is slowed down here (a round trip to a busy database), which turns the old
ordering (reply first, unlock after) from an occasional 409 under load into a certain one.
"""

import asyncio
from collections.abc import Iterator

import pytest

from deskpilot.services.chat.turn_store import TurnStore
from tests.chat.helpers import Client, new_session, send, use_fake
from tests.chat.reads import stored_messages
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, status, text
from tests.support.sse import SSE, iter_events


@pytest.fixture
def slow_unlock(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, float]]:
    """Each unlock waits `delay["seconds"]` first (a test may raise it)."""
    delay = {"seconds": 0.01}
    release = TurnStore.release

    async def slow_release(self: TurnStore) -> None:
        await asyncio.sleep(delay["seconds"])
        await release(self)

    monkeypatch.setattr(TurnStore, "release", slow_release)
    yield delay


@pytest.mark.usefixtures("slow_unlock")
async def test_two_hundred_json_messages_back_to_back_never_conflict(
    server: LiveServer, client: Client
) -> None:
    server.configure(chat_messages_per_minute=1000)
    session = await new_session(client)

    statuses = []
    for i in range(200):
        response = await send(client, session["id"], f"hello there, message {i}")
        statuses.append(response.status_code)

    assert [s for s in statuses if s != 200] == []
    stored = await stored_messages(session["id"])
    assert [m.role for m in stored] == ["user", "assistant"] * 200


@pytest.mark.usefixtures("slow_unlock")
async def test_a_failed_reply_can_be_retried_at_once(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session = await new_session(client)
    use_fake(server, openai_fake, llm_max_retries=0)
    openai_fake.script(status(500), text("Here now."))

    failed = await send(client, session["id"], "anyone?", client_message_id="m-1")
    retried = await send(client, session["id"], "anyone?", client_message_id="m-1")

    assert failed.status_code == 502, failed.text
    assert retried.status_code == 200, retried.text
    assert retried.json()["content"] == "Here now."


@pytest.mark.usefixtures("slow_unlock")
async def test_the_next_message_may_follow_the_streamed_reply_at_once(
    server: LiveServer, client: Client
) -> None:
    session = await new_session(client)
    url = f"/api/chat/sessions/{session['id']}/messages"

    follow_ups = []
    for i in range(5):
        async with client.stream(
            "POST", url, json={"content": f"hello, streamed {i}"}, headers=SSE
        ) as response:
            assert response.status_code == 200
            async for name, _ in iter_events(response):
                if name == "assistant_message":
                    # The stream is still open (`done` has not been read yet).
                    follow_ups.append(await send(client, session["id"], f"and then {i}"))

    assert [r.status_code for r in follow_ups] == [200] * 5
    assert len(await stored_messages(session["id"])) == 20


async def test_a_first_reply_frees_the_chat_before_its_title_is_made(
    server: LiveServer,
    client: Client,
    openai_fake: FakeOpenAIServer,
    slow_unlock: dict[str, float],
) -> None:
    slow_unlock["seconds"] = 0.2
    use_fake(server, openai_fake, llm_generate_titles=True)
    # The title and the second reply are asked for at about the same time: either may come
    # first, so both answers are the same.
    openai_fake.script(text("First answer."), *[text("Printer on floor 2", delay=0.3)] * 2)
    session = await new_session(client)

    first = await send(client, session["id"], "my printer is broken")
    second = await send(client, session["id"], "it is on floor 2")

    assert first.status_code == 200, first.text
    assert second.status_code == 200, second.text
