"""A turn survives what the model or the code throws at it: tool arguments out of range
are a tool error the model sees, and any unexpected error after the user's message is
stored ends the turn with a stored failed reply (never a 500, never a lost turn)."""

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import TicketEvent, User
from deskpilot.services.chat.tools import TOOLS
from deskpilot.services.chat.turn_store import TurnStore
from tests.chat.helpers import Client, new_session, send, send_sse, use_fake
from tests.chat.reads import fetch_all, stored_messages, ticket_by_number
from tests.chat.received import tool_results_in
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket
from tests.support.sse import names, only

TOO_LARGE = [2**63, 10**30]  # 9223372036854775808 is one past PostgreSQL's BIGINT


def out_of_range_calls(number: int) -> list[Any]:
    return [
        tool_calls(
            call("get_ticket", {"ticket_id": number}, id="call_get"),
            call("update_ticket", {"ticket_id": number, "status": "closed"}, id="call_update"),
        ),
        text("There is no such ticket."),
    ]


def assert_the_model_got_argument_errors(fake: FakeOpenAIServer) -> None:
    results = {r["id"]: r["content"] for r in tool_results_in(fake.requests[1])}
    for call_id in ("call_get", "call_update"):
        error = results[call_id]["error"]
        assert error["code"] == "invalid_arguments", error
        assert "ticket_id" in error["message"]


@pytest.mark.parametrize("number", TOO_LARGE)
async def test_a_ticket_id_out_of_range_is_a_tool_error_on_the_json_path(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
    number: int,
) -> None:
    await make_ticket(db, by=agent)
    use_fake(server, openai_fake)
    openai_fake.script(*out_of_range_calls(number))
    session = await new_session(client)

    response = await send(client, session["id"], f"close ticket {number}")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert (reply["status"], reply["content"]) == ("complete", "There is no such ticket.")
    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [
        ("call_get", "error"),
        ("call_update", "error"),
    ]
    assert_the_model_got_argument_errors(openai_fake)
    assert (await ticket_by_number(1)).status == "open"


@pytest.mark.parametrize("number", TOO_LARGE)
async def test_a_ticket_id_out_of_range_is_a_tool_error_on_the_stream(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer, number: int
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(*out_of_range_calls(number))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], f"show ticket #{number}")

    assert status_code == 200
    assert "error" not in names(events)
    assert names(events)[-2:] == ["assistant_message", "done"]
    finished = [d["status"] for n, d in events if n == "tool_call_finished"]
    assert finished == ["error", "error"]
    assert_the_model_got_argument_errors(openai_fake)
    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]


@pytest.mark.parametrize(
    "arguments",
    [
        {"ticket_id": "9223372036854775808"},
        {"ticket_id": 0},
        {"ticket_id": 1.5},
        {"ticket_id": True},
        {"ticket_id": 1, "notes": "bad \x00 byte"},
    ],
)
async def test_every_argument_is_checked_before_a_tool_runs(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
    arguments: dict[str, Any],
) -> None:
    await make_ticket(db, by=agent)
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("update_ticket", {**arguments, "status": "closed"}, id="call_update")),
        text("I could not do that."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "close #1")

    assert response.status_code == 200, response.text
    result = tool_results_in(openai_fake.requests[1])[0]["content"]
    assert result["error"]["code"] == "invalid_arguments"
    assert (await ticket_by_number(1)).status == "open"


async def test_nul_characters_from_the_model_do_not_cost_the_reply(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("search_tickets", {"query": "print\x00er"}, id="call_search")),
        text("Nothing \x00found."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "find printer tickets")

    assert response.status_code == 200, response.text
    assert response.json()["content"] == "Nothing found."
    stored = (await stored_messages(session["id"]))[-1]
    assert (stored.status, stored.tool_calls[0]["arguments"]) == ("complete", {"query": "printer"})
    result = tool_results_in(openai_fake.requests[1])[0]["content"]
    assert result["error"]["code"] == "invalid_arguments"


# -- one rule for an unexpected error in a turn ------------------------------------------------
@pytest.fixture
def broken_get_ticket(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    async def explode(db: Any, args: Any, context: Any) -> Any:
        raise RuntimeError("a bug in a tool")

    monkeypatch.setitem(TOOLS, "get_ticket", replace(TOOLS["get_ticket"], handler=explode))
    return monkeypatch


@pytest.fixture
async def failing_chat(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
    broken_get_ticket: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """A chat whose model notes on ticket #1, then reads it: the write runs, the read raises,
    and the model never gets an answer."""
    await make_ticket(db, by=agent)
    use_fake(server, openai_fake, chat_approval="never")  # the write runs at once
    openai_fake.script(
        tool_calls(
            call("update_ticket", {"ticket_id": 1, "notes": "Looked at it"}, id="call_note"),
            call("get_ticket", {"ticket_id": 1}, id="call_get"),
        )
    )
    return await new_session(client)


async def test_a_tool_that_raises_ends_the_json_turn_with_a_stored_failed_reply(
    client: Client,
    openai_fake: FakeOpenAIServer,
    broken_get_ticket: pytest.MonkeyPatch,
    failing_chat: dict[str, Any],
) -> None:
    response = await send(
        client, failing_chat["id"], "note on #1, then read it", client_message_id="m1"
    )

    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    stored = await stored_messages(failing_chat["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "failed")]
    failed = stored[1]
    assert failed.error == {"code": "internal_error", "message": error["message"]}
    assert error["details"] == [{"field": "message_id", "message": str(failed.id)}]
    # The write that ran before the failure is on record, so a resend does not repeat it.
    assert [(c["id"], c["status"]) for c in failed.tool_calls] == [("call_note", "ok")]

    # A resend while the bug is still there fails the same way, not with a 500...
    openai_fake.script(tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_get")))
    again = await send(
        client, failing_chat["id"], "note on #1, then read it", client_message_id="m1"
    )
    assert again.status_code == 503, again.text

    # ...and once it is fixed, the resend completes the turn without a second note.
    broken_get_ticket.undo()
    openai_fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_get")), text("Ticket #1 is open.")
    )
    fixed = await send(
        client, failing_chat["id"], "note on #1, then read it", client_message_id="m1"
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["status"] == "complete"
    notes = (await client.get("/api/tickets/1")).json()["notes"]
    assert [n["body"] for n in notes] == ["Looked at it"]
    stored = await stored_messages(failing_chat["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]


async def test_a_tool_that_raises_ends_the_stream_with_error_and_done(
    client: Client,
    openai_fake: FakeOpenAIServer,
    broken_get_ticket: pytest.MonkeyPatch,
    failing_chat: dict[str, Any],
) -> None:
    status_code, events = await send_sse(client, failing_chat["id"], "note on #1, then read it")

    assert status_code == 200
    assert names(events)[-2:] == ["error", "done"]
    error = only(events, "error")
    assert error["code"] == "internal_error"
    stored = await stored_messages(failing_chat["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "failed")]
    assert error["message_id"] == str(stored[1].id)
    assert stored[1].error["code"] == "internal_error"
    # The session is free again: the next message is answered.
    broken_get_ticket.undo()
    openai_fake.script(text("Hello again."))
    assert (await send(client, failing_chat["id"], "hello?")).status_code == 200


# -- REST references out of range ----------------------------------------------------------------
@pytest.mark.parametrize("ref", ["99999999999999999999", "9223372036854775808", "#" + "9" * 30])
async def test_a_ticket_ref_out_of_range_is_a_422_naming_the_field(
    client: Client, ref: str
) -> None:
    for response in (
        await client.get(f"/api/tickets/{ref.replace('#', '%23')}"),
        await client.patch(f"/api/tickets/{ref.replace('#', '%23')}", json={"status": "closed"}),
    ):
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert [d["field"] for d in error["details"]] == ["ticket"]
        assert "ticket numbers go up to 9223372036854775807" in error["message"]


@pytest.mark.parametrize("ref", [2**63, 10**30, "9223372036854775808", "1" + "0" * 5000])
@pytest.mark.parametrize("field", ["attach", "detach"])
async def test_attach_and_detach_refs_out_of_range_are_a_422(
    client: Client, db: AsyncSession, agent: User, ref: int | str, field: str
) -> None:
    await make_ticket(db, by=agent)
    session = await new_session(client)

    response = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={field: [1, ref]}
    )

    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert [d["field"] for d in details] == [field]
    assert "9223372036854775807" in details[0]["message"]
    events = await fetch_all(select(TicketEvent))
    assert [e.action for e in events] == ["created"]


async def test_a_reply_that_cannot_be_stored_is_still_not_a_500(
    server: LiveServer,
    client: Client,
    openai_fake: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken_insert(self: TurnStore, *_: Any, **__: Any) -> Any:
        raise RuntimeError("the database refused the reply")

    monkeypatch.setattr(TurnStore, "insert_reply", broken_insert)
    use_fake(server, openai_fake)
    openai_fake.script(text("Hello."), text("Hello."))
    session = await new_session(client)

    response = await send(client, session["id"], "hi")
    status_code, events = await send_sse(client, session["id"], "hi again")

    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "internal_error"
    assert response.json()["error"]["details"] == []
    assert status_code == 200
    assert names(events)[-2:] == ["error", "done"]
    assert only(events, "error")["message_id"] is None
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content) for m in stored] == [("user", "hi"), ("user", "hi again")]
