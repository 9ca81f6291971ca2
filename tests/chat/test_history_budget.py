"""The conversation history sent to the model fits llm_history_token_budget: the oldest
exchanges go first, an exchange (with its tool calls) is kept or dropped whole, the message
being answered is always there, and the attached tickets stay in the system prompt."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage, User
from deskpilot.services.chat.prompt import build_history
from tests.chat.helpers import Client, attach, new_session, send, use_fake
from tests.chat.received import system_prompt_of, user_texts_in
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket

# ~100 tokens at the budget's estimate of 4 characters a token.
FILLER = "The customer called again about the same problem with the office printer. " * 5


async def store_exchanges(session_id: str, count: int) -> None:
    async with session_factory()() as db:
        for i in range(count):
            db.add(
                ChatMessage(
                    session_id=uuid.UUID(session_id),
                    role="user",
                    content=f"old question {i}. {FILLER}",
                )
            )
            db.add(
                ChatMessage(
                    session_id=uuid.UUID(session_id),
                    role="assistant",
                    content=f"old answer {i}. {FILLER}",
                )
            )
            await db.flush()
        await db.commit()


async def ask(
    server: LiveServer,
    client: Client,
    fake: FakeOpenAIServer,
    session_id: str,
    budget: int,
) -> dict[str, Any]:
    use_fake(server, fake, llm_history_token_budget=budget)
    fake.script(text("Noted."))
    response = await send(client, session_id, "latest question")
    assert response.status_code == 200, response.text
    request: dict[str, Any] = fake.requests[-1]
    return request


async def test_oldest_exchanges_are_dropped_first(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session = await new_session(client)
    await store_exchanges(session["id"], 10)

    roomy = await ask(server, client, openai_fake, session["id"], budget=100_000)
    tight = await ask(server, client, openai_fake, session["id"], budget=500)

    def questions(request: dict[str, Any]) -> list[str]:
        return [t.split(".")[0] for t in user_texts_in(request)]

    assert questions(roomy) == [f"old question {i}" for i in range(10)] + ["latest question"]
    # ~203 tokens an old exchange: the two newest fit in 500 with the recent short ones.
    assert questions(tight) == [
        "old question 8",
        "old question 9",
        "latest question",
        "latest question",
    ]
    assert tight["messages"][1]["role"] == "user"  # never starts with an orphan reply


async def test_a_tiny_budget_keeps_the_last_message_and_the_attached_tickets(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(
        db, by=agent, title="VPN down in Berlin", description="Tunnel drops. " + "x" * 3000
    )
    session = await new_session(client)
    await attach(client, session["id"], 1)
    await store_exchanges(session["id"], 5)

    request = await ask(server, client, openai_fake, session["id"], budget=1)

    assert user_texts_in(request) == ["latest question"]
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    system = system_prompt_of(request)
    assert '<ticket_data number="1">' in system
    assert "#1: VPN down in Berlin" in system
    assert "Tunnel drops." in system
    assert "…(truncated)" in system  # the description is cut to a limit
    assert "x" * 3000 not in system


async def test_an_exchange_with_tool_calls_is_kept_or_dropped_whole(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed", description=FILLER)
    session = await new_session(client)
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_read")),
        text("Ticket #1 is a printer jam. " + FILLER),
    )
    await send(client, session["id"], "what is #1 about?")

    kept = await ask(server, client, openai_fake, session["id"], budget=100_000)
    dropped = await ask(server, client, openai_fake, session["id"], budget=60)

    assert [m["role"] for m in kept["messages"]] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
    ]
    assert kept["messages"][2]["tool_calls"][0]["id"] == "call_read"
    # The tool exchange (~230 tokens) goes as a whole: no call without its result.
    assert [m["role"] for m in dropped["messages"]] == ["system", "user", "assistant", "user"]
    assert user_texts_in(dropped) == ["latest question", "latest question"]
    assert not any(m.get("tool_calls") for m in dropped["messages"])


def _message(role: str, content: str, **fields: Any) -> ChatMessage:
    return ChatMessage(
        role=role, content=content, status=fields.pop("status", "complete"), **fields
    )


def test_build_history_counts_whole_exchanges_from_the_newest() -> None:
    stored = [
        _message("user", "a" * 400),
        _message("assistant", "b" * 400),
        _message("system", "Attached #3 (Printer)."),
        _message("user", "c" * 400),
        _message("assistant", "d" * 400),
        _message("user", "now"),
    ]

    everything = build_history(stored, budget_tokens=10_000)
    newest_two = build_history(stored, budget_tokens=230)
    only_last = build_history(stored, budget_tokens=0)

    assert [(m.role, m.content[:1]) for m in everything] == [
        ("user", "a"),
        ("assistant", "b"),
        ("user", "["),  # the notice, then the next question, as one user turn
        ("assistant", "d"),
        ("user", "n"),
    ]
    assert everything[2].content == "[Deskpilot notice] Attached #3 (Printer).\n\n" + "c" * 400
    assert [(m.role, m.content[:1]) for m in newest_two] == [
        ("user", "c"),
        ("assistant", "d"),
        ("user", "n"),
    ]
    assert [(m.role, m.content) for m in only_last] == [("user", "now")]
