"""Regenerate the last reply and edit-and-resend the last user message (the workspace issue):
a message sent with `replaces` supersedes the chat's last user message and everything
after it; the replaced messages stay listed (superseded) and leave the model's history; a
write the replaced reply made never runs again, whatever the model does."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Contact, Interaction, Ticket, User
from tests.chat.helpers import Client, new_session, send, send_sse, use_fake
from tests.chat.leases import chat_taken
from tests.chat.proposals import decide, events_of, never, proposal_row
from tests.chat.reads import fetch_all, stored_messages, ticket_by_number, ticket_count
from tests.chat.received import system_prompt_of, tool_results_in, user_texts_in
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket

CREATE_VPN = "create a ticket for the VPN outage in Berlin, it's urgent"


async def page(client: Client, session_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/chat/sessions/{session_id}")
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


async def exchange(client: Client, content: str) -> tuple[str, dict[str, Any]]:
    """A new chat with `content` answered: (its id, the reply)."""
    session = await new_session(client)
    response = await send(client, session["id"], content)
    assert response.status_code == 200, response.text
    return session["id"], response.json()


async def test_regenerate_supersedes_the_last_exchange_and_answers_again(client: Client) -> None:
    session_id, first = await exchange(client, "search tickets about printers")
    user_id = (await page(client, session_id))[0]["id"]

    again = await send(client, session_id, "search tickets about printers", replaces=user_id)

    assert again.status_code == 200, again.text
    messages = await page(client, session_id)
    assert [(m["role"], m["superseded"]) for m in messages] == [
        ("user", True),
        ("assistant", True),
        ("user", False),
        ("assistant", False),
    ]
    assert messages[1]["id"] == first["id"]
    assert messages[3]["id"] == again.json()["id"]
    assert messages[2]["content"] == "search tickets about printers"
    # the page of older messages says so too
    older = await client.get(
        f"/api/chat/sessions/{session_id}/messages", params={"before": messages[2]["id"]}
    )
    assert [m["superseded"] for m in older.json()["items"]] == [True, True]


async def test_edit_and_resend_streams_the_new_turn(client: Client) -> None:
    session_id, _ = await exchange(client, "search tickets about printers")
    user_id = (await page(client, session_id))[0]["id"]

    status, events = await send_sse(
        client, session_id, "search tickets about the VPN", replaces=user_id, client_message_id="e1"
    )

    assert status == 200
    names = [name for name, _ in events]
    assert names[0] == "user_message" and "assistant_message" in names
    user_message = events[0][1]["message"]
    assert user_message["content"] == "search tickets about the VPN"
    assert user_message["superseded"] is False
    stored = await stored_messages(session_id)
    assert [(m.content, m.superseded_at is not None) for m in stored if m.role == "user"] == [
        ("search tickets about printers", True),
        ("search tickets about the VPN", False),
    ]
    # The same client_message_id again is the same message: replayed, nothing replaced.
    resent = await send(
        client, session_id, "search tickets about the VPN", replaces=user_id, client_message_id="e1"
    )
    assert resent.status_code == 200, resent.text
    assert len(await stored_messages(session_id)) == 4


async def test_only_the_chats_last_user_message_can_be_replaced(client: Client) -> None:
    session_id, reply = await exchange(client, "search tickets about printers")
    assert (await send(client, session_id, "search tickets about the VPN")).status_code == 200
    first_user, _, last_user, _ = (m["id"] for m in await page(client, session_id))

    unknown = await send(client, session_id, "again", replaces=str(uuid.uuid4()))
    not_last = await send(client, session_id, "again", replaces=first_user)
    a_reply = await send(client, session_id, "again", replaces=reply["id"])
    other_chat = await new_session(client)
    elsewhere = await send(client, other_chat["id"], "again", replaces=last_user)

    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "validation_error"
    assert unknown.json()["error"]["details"][0]["field"] == "replaces"
    assert elsewhere.status_code == 422
    for response in (not_last, a_reply):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "conflict"
        assert "last message" in response.json()["error"]["message"]
    assert len(await stored_messages(session_id)) == 4  # nothing superseded, nothing added
    assert not any(m.superseded_at for m in await stored_messages(session_id))
    # once replaced, a message is not the last any more
    assert (await send(client, session_id, "again", replaces=last_user)).status_code == 200
    assert (await send(client, session_id, "again 2", replaces=last_user)).status_code == 409


async def test_replacing_while_a_reply_is_generated_gets_409(client: Client) -> None:
    session_id, _ = await exchange(client, "search tickets about printers")
    user_id = (await page(client, session_id))[0]["id"]

    async with chat_taken(session_id):
        blocked = await send(client, session_id, "again", replaces=user_id)

    assert blocked.status_code == 409
    assert not any(m.superseded_at for m in await stored_messages(session_id))


async def test_the_model_does_not_see_the_replaced_messages(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(text("One."), text("Two."), text("Edited."))
    session = await new_session(client)
    assert (await send(client, session["id"], "first question")).status_code == 200
    assert (await send(client, session["id"], "second question")).status_code == 200
    second = (await page(client, session["id"]))[2]["id"]

    edited = await send(client, session["id"], "edited question", replaces=second)

    assert edited.status_code == 200, edited.text
    request = openai_fake.requests[2]
    assert user_texts_in(request) == ["first question", "edited question"]
    assert "Two." not in str(request["messages"])
    assert "replaced their last message" in system_prompt_of(request)
    assert "changed nothing" in system_prompt_of(request)


async def test_regenerating_a_create_in_never_mode_leaves_one_ticket(
    server: LiveServer, client: Client
) -> None:
    never(server)
    session_id, first = await exchange(client, CREATE_VPN)
    assert [c["status"] for c in first["tool_calls"]] == ["ok"]
    user_id = (await page(client, session_id))[0]["id"]

    again = await send(client, session_id, CREATE_VPN, replaces=user_id)

    assert again.status_code == 200, again.text
    assert await ticket_count() == 1
    reply = again.json()
    assert [(c["name"], c["status"]) for c in reply["tool_calls"]] == [("create_ticket", "refused")]
    assert "Already done" in reply["content"] and "#1" in reply["content"]
    # and a second regenerate still knows the first reply's ticket
    user_id = (await page(client, session_id))[2]["id"]
    third = await send(client, session_id, CREATE_VPN, replaces=user_id)
    assert third.status_code == 200, third.text
    assert await ticket_count() == 1
    assert [c["status"] for c in third.json()["tool_calls"]] == ["refused"]


async def test_regenerating_a_close_in_never_mode_writes_one_event(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)
    ticket = await make_ticket(db, by=agent, title="Printer jammed")
    session_id, _ = await exchange(client, "close #1")
    assert (await ticket_by_number(1)).status == "closed"
    before = len(await events_of(ticket.id))
    user_id = (await page(client, session_id))[0]["id"]

    again = await send(client, session_id, "close #1", replaces=user_id)

    assert again.status_code == 200, again.text
    assert len(await events_of(ticket.id)) == before
    assert [c["status"] for c in again.json()["tool_calls"]] == ["refused"]
    assert "Already done" in again.json()["content"]
    # an edit asking for something else does run
    user_id = (await page(client, session_id))[2]["id"]
    edited = await send(client, session_id, "reopen #1", replaces=user_id)
    assert edited.status_code == 200, edited.text
    assert (await ticket_by_number(1)).status == "open"


async def test_a_repeated_write_from_the_model_is_not_run_again(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(
        tool_calls(
            call("create_ticket", {"title": "VPN down", "description": "Since 9am."}, id="c1"),
            call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="u1"),
        ),
        text("Created #2 and closed #1."),
        # the regenerated reply: the same create (other words) and the same close
        tool_calls(
            call("create_ticket", {"title": "vpn down!", "description": "Berlin office."}, id="c2"),
            call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="u2"),
            call("update_ticket", {"ticket_id": 1, "priority": "high"}, id="u3"),
        ),
        text("Done."),
    )
    session = await new_session(client)
    asked = "create a VPN ticket and close #1"
    assert (await send(client, session["id"], asked)).status_code == 200
    closed_events = len(await events_of((await ticket_by_number(1)).id))
    user_id = (await page(client, session["id"]))[0]["id"]

    again = await send(client, session["id"], asked, replaces=user_id)

    assert again.status_code == 200, again.text
    assert [(c["id"], c["status"]) for c in again.json()["tool_calls"]] == [
        ("c2", "refused"),
        ("u2", "refused"),
        ("u3", "ok"),  # a different change runs
    ]
    assert await ticket_count() == 2
    assert (await ticket_by_number(1)).priority == "high"
    assert len(await events_of((await ticket_by_number(1)).id)) == closed_events + 1
    regenerated = openai_fake.requests[2]
    prompt = system_prompt_of(regenerated)
    assert "Created ticket #2" in prompt and "never make them again" in prompt
    results = tool_results_in(openai_fake.requests[3])
    assert [r["content"]["error"]["code"] for r in results[:2]] == ["already_done"] * 2
    assert results[0]["content"]["earlier_result"]["ticket"]["number"] == 2


async def test_replacing_supersedes_the_replaced_replys_pending_proposals(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session_id, paused = await exchange(client, "close #1")
    [proposal] = paused["proposals"]
    assert proposal["state"] == "pending"
    user_id = (await page(client, session_id))[0]["id"]

    again = await send(client, session_id, "close #1", replaces=user_id)

    assert again.status_code == 200, again.text
    assert (await proposal_row(proposal["id"])).state == "superseded"
    assert [p["state"] for p in again.json()["proposals"]] == ["pending"]
    assert (await ticket_by_number(1)).status == "open"
    old = (await page(client, session_id))[1]
    assert old["superseded"] is True and old["status"] == "complete"
    assert [c["status"] for c in old["tool_calls"]] == ["superseded"]


async def test_a_write_the_agent_approved_is_not_proposed_again(
    client: Client, db: AsyncSession, agent: User
) -> None:
    ticket = await make_ticket(db, by=agent, title="Printer jammed")
    session_id, paused = await exchange(client, "close #1")
    approved = await decide(client, session_id, paused["proposals"][0]["id"], "approve")
    assert approved.status_code == 200, approved.text
    assert (await ticket_by_number(1)).status == "closed"
    written = len(await events_of(ticket.id))
    user_id = (await page(client, session_id))[0]["id"]

    again = await send(client, session_id, "close #1", replaces=user_id)

    assert again.status_code == 200, again.text
    reply = again.json()
    assert reply["status"] == "complete" and reply["proposals"] == []
    assert [c["status"] for c in reply["tool_calls"]] == ["refused"]
    assert "Already done" in reply["content"]
    assert len(await events_of(ticket.id)) == written


async def test_regenerating_an_intake_makes_no_second_caller_ticket_or_call(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    """The dependent writes of intake (tools/groups.py): the repeated create_contact counts
    as made with the earlier caller, so the later calls that leave out its number are
    filled from it and found repeated too."""
    use_fake(server, openai_fake, chat_approval="never")
    intake = tool_calls(
        call("create_contact", {"name": "Sam Ortiz"}),
        call("create_ticket", {"title": "Keyboard missing keys", "description": "2 keys"}),
        call("log_call", {"summary": "walk-in"}),
    )
    openai_fake.script(intake, text("Done."), intake, text("Done again."))
    session = await new_session(client)
    asked = "walk-in: Sam Ortiz, keyboard"
    first = await send(client, session["id"], asked)
    assert [c["status"] for c in first.json()["tool_calls"]] == ["ok"] * 3
    counts = [await count(Contact), await count(Ticket), await count(Interaction)]
    assert counts == [1, 1, 1]
    user_id = (await page(client, session["id"]))[0]["id"]

    again = await send(client, session["id"], asked, replaces=user_id)

    assert again.status_code == 200, again.text
    assert [c["status"] for c in again.json()["tool_calls"]] == ["refused"] * 3
    assert [await count(Contact), await count(Ticket), await count(Interaction)] == counts


async def count(model: Any) -> int:
    return len(await fetch_all(select(model)))
