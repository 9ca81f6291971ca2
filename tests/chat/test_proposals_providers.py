"""The continuation each provider receives once the agent decides: the proposed call and its
result, in the provider's own shape (OpenAI `tool` messages, Anthropic `tool_result`
blocks), within the round cap. Every test runs once per fake provider."""

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.chat_llm_service import ROUNDS_EXHAUSTED_NOTE
from tests.chat.helpers import FakeServer, new_session, send, use_fake
from tests.chat.proposals import decide, decide_sse
from tests.chat.received import system_prompt_of, tool_results_in, user_texts_in
from tests.chat.test_providers_flow import assistant_tool_call_ids
from tests.conftest import LiveServer
from tests.fakes import FakeAnthropicServer, call, text, tool_calls
from tests.support.factories import make_ticket
from tests.support.sse import names

Client = httpx.AsyncClient
CLOSE = call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="call_close")


def raw_results(fake: FakeServer, request: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool results of a request exactly as the provider's wire format carries them."""
    if isinstance(fake, FakeAnthropicServer):
        return [
            block
            for message in request["messages"]
            if message["role"] == "user" and isinstance(message["content"], list)
            for block in message["content"]
            if block.get("type") == "tool_result"
        ]
    return [m for m in request["messages"] if m.get("role") == "tool"]


async def paused_chat(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer, *after: Any
) -> tuple[str, dict[str, Any]]:
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, fake)
    fake.script(tool_calls(CLOSE, text="I'll close #1."), *after)
    session = await new_session(client)
    reply = (await send(client, session["id"], "close #1 please")).json()
    assert reply["status"] == "awaiting_approval", reply
    return session["id"], reply


async def test_approve_sends_the_executed_result(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    session_id, paused = await paused_chat(
        server, client, db, agent, fake, text(" Done: #1 is closed.")
    )
    assert paused["content"] == "I'll close #1."

    status, events = await decide_sse(client, session_id, paused["proposals"][0]["id"], "approve")

    assert status == 200
    assert names(events)[0] == "proposal_updated"
    assert "text_delta" in names(events)
    assert len(fake.requests) == 2
    continuation = fake.requests[1]
    assert user_texts_in(continuation) == ["close #1 please"]
    assert assistant_tool_call_ids(continuation) == ["call_close"]
    [result] = tool_results_in(continuation)
    assert result["id"] == "call_close"
    assert result["content"]["changes"] == [{"field": "status", "old": "open", "new": "closed"}]
    assert result["is_error"] in (None, False)
    [wire] = raw_results(fake, continuation)
    if isinstance(fake, FakeAnthropicServer):
        assert (wire["tool_use_id"], wire.get("is_error", False)) == ("call_close", False)
        assert continuation["messages"][-1]["role"] == "user"  # the results end the history
    else:
        assert (wire["role"], wire["tool_call_id"]) == ("tool", "call_close")
        assert continuation["messages"][-1]["role"] == "tool"
    final = events[-2][1]["message"]
    assert final["content"] == "I'll close #1. Done: #1 is closed."


async def test_reject_sends_the_refusal_with_the_reason(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    session_id, paused = await paused_chat(
        server, client, db, agent, fake, text(" Understood, I left it open.")
    )

    response = await decide(
        client, session_id, paused["proposals"][0]["id"], "reject", reason="still waiting on parts"
    )

    assert response.status_code == 200, response.text
    [result] = tool_results_in(fake.requests[1])
    error = result["content"]["error"]
    assert error["code"] == "not_approved"
    assert "still waiting on parts" in error["message"]
    [wire] = raw_results(fake, fake.requests[1])
    if isinstance(fake, FakeAnthropicServer):
        assert wire["is_error"] is True
    assert response.json()["content"] == "I'll close #1. Understood, I left it open."


async def test_an_edited_approval_tells_the_model_what_ran(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    session_id, paused = await paused_chat(server, client, db, agent, fake, text(" Resolved."))

    response = await decide(
        client,
        session_id,
        paused["proposals"][0]["id"],
        "approve",
        arguments={"ticket_id": 1, "status": "resolved", "notes": "Fixed the tray"},
    )

    assert response.status_code == 200, response.text
    [result] = tool_results_in(fake.requests[1])
    assert result["content"]["edited_by_agent"] == {
        "ticket_id": 1,
        "status": "resolved",
        "notes": "Fixed the tray",
    }
    assert result["content"]["changes"] == [{"field": "status", "old": "open", "new": "resolved"}]


async def test_the_continuation_counts_the_rounds_before_it(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, fake, llm_max_tool_rounds=2)
    fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_read")),
        tool_calls(CLOSE),
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_again")),  # not run: last round
        text("That is all I can do."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "check #1 then close it")).json()

    response = await decide(client, session["id"], paused["proposals"][0]["id"], "approve")

    assert response.status_code == 200, response.text
    assert len(fake.requests) == 3
    assert ROUNDS_EXHAUSTED_NOTE in system_prompt_of(fake.requests[2])
    reply = response.json()
    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [
        ("call_read", "ok"),
        ("call_close", "executed"),
    ]
    assert assistant_tool_call_ids(fake.requests[2]) == ["call_read", "call_close"]


async def test_a_continuation_may_propose_again(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Scanner offline")
    use_fake(server, fake)
    fake.script(
        tool_calls(CLOSE),
        tool_calls(call("update_ticket", {"ticket_id": 2, "status": "closed"}, id="call_two")),
        text("Both closed."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "close #1 and #2")).json()

    again = await decide(client, session["id"], paused["proposals"][0]["id"], "approve")

    assert again.status_code == 200, again.text
    second = again.json()
    assert (second["id"], second["status"]) == (paused["id"], "awaiting_approval")
    assert [(p["tool_call_id"], p["state"]) for p in second["proposals"]] == [
        ("call_close", "executed"),
        ("call_two", "pending"),
    ]
    done = await decide(client, session["id"], second["proposals"][1]["id"], "approve")
    assert done.json()["content"] == "Both closed."
    assert [c["status"] for c in done.json()["tool_calls"]] == ["executed", "executed"]
