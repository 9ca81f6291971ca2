"""Two `deskpilot serve` processes on different ports sharing one PostgreSQL (the test
database), as two hosts behind a load balancer would: the first with two workers
(`serve --workers 2`), both with the same fake model. A reply streams from one while the
other serves the same user's requests; a proposal made through one is approved through
the other. Everything they agree on is in the database: the chats' leases, the user's
replies being generated, the proposals."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import Client, new_session, send, send_sse
from tests.chat.leases import leases
from tests.chat.proposals import decide_sse
from tests.chat.reads import stored_messages, ticket_by_number
from tests.chat.test_turn_safety import wait_for
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.commands import serve
from tests.support.factories import make_ticket
from tests.support.sse import names

LIMIT = 2  # replies one user may have generating at once, over both processes


@pytest.fixture(scope="session")
async def two_servers(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, openai_server: FakeOpenAIServer
) -> AsyncIterator[tuple[str, str]]:
    settings = {
        "DESKPILOT_LLM_PROVIDER": "openai",
        "DESKPILOT_LLM_BASE_URL": openai_server.base_url,
        "DESKPILOT_LLM_API_KEY": "test-key",
        "DESKPILOT_LLM_MODEL": "fake-model",
        "DESKPILOT_LLM_GENERATE_TITLES": "false",
        "DESKPILOT_CHAT_MESSAGES_PER_MINUTE": "1000",
        "DESKPILOT_CHAT_MAX_CONCURRENT_STREAMS": str(LIMIT),
    }
    logs = tmp_path_factory.mktemp("two-processes")
    async with (
        serve(database_url, logs, "--workers", "2", env=settings) as first,
        serve(database_url, logs, env=settings) as second,
    ):
        yield first, second


def elsewhere(base_url: str, client: Client) -> Client:
    """The same signed-in user, through another server."""
    return httpx.AsyncClient(
        base_url=base_url, cookies=client.cookies, headers=client.headers, timeout=30
    )


async def model_calls(fake: FakeOpenAIServer, count: int) -> None:
    async def reached() -> bool:
        return len(fake.requests) >= count

    await wait_for(reached, seconds=10)


async def test_a_reply_streams_from_one_process_while_the_other_serves_the_same_user(
    client: Client, openai_fake: FakeOpenAIServer, two_servers: tuple[str, str]
) -> None:
    openai_fake.script(
        # Long enough that both replies are still generating when the third message arrives,
        # after a freshly started process's first requests, on a machine at load 7 on 2 cores
        # (4.0 / 2.5 s were not).
        text("Streamed from the first.", delay=8.0),
        text("Answered by the second.", delay=6.0),
        text("The third, later."),
    )
    chats = [(await new_session(client))["id"] for _ in range(3)]
    async with elsewhere(two_servers[0], client) as one, elsewhere(two_servers[1], client) as two:
        streaming = asyncio.create_task(send_sse(one, chats[0], "stream this"))
        await model_calls(openai_fake, 1)
        listed = await two.get("/api/tickets")
        seen = (await two.get(f"/api/chat/sessions/{chats[0]}")).json()
        blocked = await send(two, chats[0], "meanwhile, the same chat")
        second = asyncio.create_task(send(two, chats[1], "another chat"))
        await model_calls(openai_fake, 2)
        limited = await send(one, chats[2], "a third at once")
        status, events = await streaming
        answered = await second
        third = await send(one, chats[2], "the third, now")

    assert listed.status_code == 200
    assert [(m["role"], m["content"]) for m in seen["messages"]] == [("user", "stream this")]
    assert blocked.status_code == 409
    assert limited.status_code == 429  # one reply generating in each process: LIMIT
    assert status == 200
    assert names(events)[0] == "user_message" and names(events)[-2:] == [
        "assistant_message",
        "done",
    ]
    assert "".join(data["text"] for name, data in events if name == "text_delta") == (
        "Streamed from the first."
    )
    assert answered.json()["content"] == "Answered by the second."
    assert third.json()["content"] == "The third, later."
    assert [m.content for m in await stored_messages(chats[0])] == [
        "stream this",
        "Streamed from the first.",
    ]
    assert await leases() == []


async def test_a_proposal_made_through_one_process_is_approved_through_the_other(
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
    two_servers: tuple[str, str],
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    openai_fake.script(
        tool_calls(call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="c1")),
        text("Closed #1.", delay=2.5),
    )
    chat = (await new_session(client))["id"]
    async with elsewhere(two_servers[0], client) as one, elsewhere(two_servers[1], client) as two:
        paused = (await send(one, chat, "close #1")).json()
        approving = asyncio.create_task(
            decide_sse(two, chat, paused["proposals"][0]["id"], "approve")
        )
        await model_calls(openai_fake, 2)  # the reply goes on in the second process
        blocked = await send(one, chat, "and the toner?")
        status, events = await approving

    assert paused["status"] == "awaiting_approval"
    assert blocked.status_code == 409
    assert status == 200
    assert names(events)[0] == "proposal_updated"
    reply = events[-2][1]["message"]
    assert (reply["id"], reply["status"], reply["content"]) == (
        paused["id"],
        "complete",
        "Closed #1.",
    )
    assert (await ticket_by_number(1)).status == "closed"
    assert await leases() == []
