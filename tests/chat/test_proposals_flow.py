"""The supervised copilot end to end with the offline assistant (no model configured):
"close #1" becomes a proposal the agent sees, approves, edits or rejects, and the reply
then goes on. DESKPILOT_CHAT_APPROVAL is the default (writes) unless a test says so."""

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import attach, new_session, send, send_sse, signed_in_at, use_fake
from tests.chat.proposals import (
    all_proposals,
    decide,
    decide_sse,
    events_of,
    never,
    pending,
    proposal_row,
    proposed_close,
)
from tests.chat.reads import stored_messages, ticket_by_number, ticket_count
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket, make_user
from tests.support.sse import names, only

Client = httpx.AsyncClient


# -- proposing ------------------------------------------------------------------------------
async def test_a_write_is_proposed_and_nothing_changes_until_approved(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "close #1")

    assert status == 200
    assert names(events) == [
        "user_message",
        "tool_call_started",
        "tool_call_finished",
        "approval_required",
        "done",
    ]
    finished = only(events, "tool_call_finished")
    assert (finished["status"], finished["summary"]) == (
        "proposed",
        "Waiting for approval: Close #1?",
    )
    paused = only(events, "approval_required")
    proposal = paused["proposal"]
    assert proposal["tool"] == "update_ticket"
    assert proposal["headline"] == "Close #1?"
    assert proposal["state"] == "pending"
    assert proposal["ticket"]["number"] == 1
    assert proposal["changes"] == [{"field": "status", "from": "open", "to": "closed"}]
    assert (proposal["note"], proposal["new_ticket"], proposal["automatic"]) == (None, None, False)
    message = paused["message"]
    assert message["status"] == "awaiting_approval"
    assert [(c["name"], c["status"], c["proposal_id"]) for c in message["tool_calls"]] == [
        ("update_ticket", "proposed", proposal["id"])
    ]
    assert message["proposals"] == paused["proposals"] == [proposal]
    ticket = await ticket_by_number(1)
    assert ticket.status == "open"
    assert [e.action for e in await events_of(ticket.id)] == ["created"]
    row = await proposal_row(proposal["id"])
    assert (row.state, row.snapshot["fields"], str(row.message_id)) == (
        "pending",
        {"status": "open"},
        message["id"],
    )


async def test_the_json_reply_carries_the_proposals(
    client: Client, db: AsyncSession, agent: User
) -> None:
    _, reply = await proposed_close(client, db, agent)

    assert reply["status"] == "awaiting_approval"
    assert [(p["headline"], p["state"]) for p in reply["proposals"]] == [("Close #1?", "pending")]
    assert reply["tool_calls"][0]["proposal_id"] == reply["proposals"][0]["id"]


async def test_a_note_and_a_new_ticket_are_shown_as_they_would_be_written(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    noted = (await send(client, session["id"], "add a note to #1: customer called back")).json()
    created = (
        await send(
            client, session["id"], "create a ticket for the VPN outage in Berlin, it's urgent"
        )
    ).json()

    [note] = noted["proposals"]
    assert (note["headline"], note["changes"], note["note"]) == (
        "Add a note to #1?",
        [],
        "customer called back",
    )
    [draft] = created["proposals"]
    assert draft["headline"].startswith("Create ticket “VPN outage in Berlin")
    assert draft["ticket"] is None
    assert draft["new_ticket"]["priority"] == "urgent"
    assert "Berlin" in draft["new_ticket"]["title"]
    assert await ticket_count() == 1  # nothing created yet


async def test_read_tools_never_wait(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(
            call("get_ticket", {"ticket_id": 1}, id="call_read"),
            call("search_tickets", {"query": "printer"}, id="call_find"),
            call("update_ticket", {"ticket_id": 1, "status": "resolved"}, id="call_write"),
        )
    )
    session = await new_session(client)

    reply = (await send(client, session["id"], "check #1 and resolve it")).json()

    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [
        ("call_read", "ok"),
        ("call_find", "ok"),
        ("call_write", "proposed"),
    ]
    assert len(openai_fake.requests) == 1  # paused: the model is asked again once decided


# -- deciding -------------------------------------------------------------------------------
async def test_approve_writes_then_the_reply_goes_on(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, paused = await proposed_close(client, db, agent)
    proposal = pending(paused)[0]

    status, events = await decide_sse(client, session_id, proposal["id"], "approve")

    assert status == 200, events
    assert names(events)[0] == "proposal_updated"
    assert names(events)[-2:] == ["assistant_message", "done"]
    decided = only(events, "proposal_updated")["proposal"]
    assert (decided["state"], decided["decided_by"]["name"]) == ("executed", "Ada Agent")
    assert decided["summary"] == "Updated ticket #1 (status open → closed)"
    reply = only(events, "assistant_message")["message"]
    assert reply["id"] == paused["id"]  # the same reply, carried on
    assert reply["status"] == "complete"
    assert reply["content"] == "Updated **#1** — Printer jammed: status open → closed."
    assert [(c["status"], c["proposal_id"]) for c in reply["tool_calls"]] == [
        ("executed", proposal["id"])
    ]
    ticket = await ticket_by_number(1)
    assert ticket.status == "closed"
    change = [e for e in await events_of(ticket.id) if e.action == "updated"]
    assert [(e.field, e.channel, e.approved_by, str(e.write_id)) for e in change] == [
        ("status", "chat", agent.id, proposal["id"])
    ]
    stored = await stored_messages(session_id)
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
    assert stored[1].content == reply["content"]


async def test_approve_answers_json_once_the_reply_is_stored(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, paused = await proposed_close(client, db, agent)

    response = await decide(client, session_id, paused["proposals"][0]["id"], "approve")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    reply = response.json()
    assert (reply["id"], reply["status"]) == (paused["id"], "complete")
    assert [(p["state"], p["automatic"]) for p in reply["proposals"]] == [("executed", False)]
    assert (await ticket_by_number(1)).status == "closed"


async def test_reject_with_a_reason_tells_the_model_and_changes_nothing(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, paused = await proposed_close(client, db, agent)
    proposal = paused["proposals"][0]

    response = await decide(
        client, session_id, proposal["id"], "reject", reason="the customer still needs it"
    )

    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["status"] == "complete"
    assert reply["content"] == (
        "Understood: I left #1 as it was (your reason: the customer still needs it)."
    )
    [rejected] = reply["proposals"]
    assert (rejected["state"], rejected["reason"]) == ("rejected", "the customer still needs it")
    assert rejected["decided_by"]["name"] == "Ada Agent"
    assert reply["tool_calls"][0]["status"] == "rejected"
    ticket = await ticket_by_number(1)
    assert ticket.status == "open"
    assert [e.action for e in await events_of(ticket.id)] == ["created"]


async def test_reject_without_a_reason(client: Client, db: AsyncSession, agent: User) -> None:
    session_id, paused = await proposed_close(client, db, agent)

    response = await decide(client, session_id, paused["proposals"][0]["id"], "reject")

    assert response.status_code == 200, response.text
    assert response.json()["content"] == "Understood: I left #1 as it was."
    assert (await proposal_row(paused["proposals"][0]["id"])).reason is None


async def test_edit_a_new_tickets_draft_then_approve(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session = await new_session(client)
    paused = (
        await send(
            client, session["id"], "create a ticket for the VPN outage in Berlin, it's urgent"
        )
    ).json()
    draft = paused["proposals"][0]
    edited = {
        "title": "VPN down in the Berlin office",
        "description": "Since 9:00, all staff",
        "priority": "high",
        "category": "network",
    }

    response = await decide(client, session["id"], draft["id"], "approve", arguments=edited)

    assert response.status_code == 200, response.text
    reply = response.json()
    [done] = reply["proposals"]
    assert (done["state"], done["edited"], done["arguments"]) == ("executed", True, edited)
    assert done["new_ticket"] == edited
    assert done["ticket"]["number"] == 1
    assert "VPN down in the Berlin office" in reply["content"]
    ticket = await ticket_by_number(1)
    assert (ticket.title, ticket.description, ticket.priority, ticket.category) == (
        "VPN down in the Berlin office",
        "Since 9:00, all staff",
        "high",
        "network",
    )
    assert ticket.chat_session_id == uuid.UUID(session["id"])
    row = await proposal_row(draft["id"])
    assert row.edited_arguments == edited
    assert row.arguments["title"] == draft["new_ticket"]["title"]  # the model's, kept
    assert row.result["edited_by_agent"] == edited  # the model is told
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert [t["number"] for t in detail["attached_tickets"]] == [1]


async def test_edited_arguments_are_checked_like_the_tools_own(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, paused = await proposed_close(client, db, agent)
    proposal_id = paused["proposals"][0]["id"]

    bad_status = await decide(
        client, session_id, proposal_id, "approve", arguments={"status": "done"}
    )
    unknown = await decide(
        client, session_id, proposal_id, "approve", arguments={"status": "closed", "owner": "x"}
    )
    moved = await decide(
        client, session_id, proposal_id, "approve", arguments={"ticket_id": 2, "status": "closed"}
    )

    assert [r.status_code for r in (bad_status, unknown, moved)] == [422, 422, 422]
    assert bad_status.json()["error"]["details"][0]["field"] == "arguments.status"
    assert unknown.json()["error"]["details"][0] == {
        "field": "arguments.owner",
        "message": "unknown field",
    }
    assert moved.json()["error"]["details"][0]["field"] == "arguments.ticket_id"
    assert (await proposal_row(proposal_id)).state == "pending"
    assert (await ticket_by_number(1)).status == "open"

    resolved = await decide(
        client, session_id, proposal_id, "approve", arguments={"status": "resolved"}
    )
    assert resolved.status_code == 200, resolved.text
    [done] = resolved.json()["proposals"]
    assert done["changes"] == [{"field": "status", "from": "open", "to": "resolved"}]
    assert (await ticket_by_number(1)).status == "resolved"


# -- reloading, restarting, another process --------------------------------------------------
async def test_reopening_the_session_shows_the_pending_proposal_still_actionable(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, paused = await proposed_close(client, db, agent)

    detail = (await client.get(f"/api/chat/sessions/{session_id}")).json()
    page = (await client.get(f"/api/chat/sessions/{session_id}/messages")).json()
    listed = (await client.get("/api/chat/sessions")).json()["items"]

    assert detail["messages"][-1] == page["items"][-1]
    shown = detail["messages"][-1]
    assert (shown["id"], shown["status"]) == (paused["id"], "awaiting_approval")
    assert shown["proposals"] == paused["proposals"]
    assert [(s["id"], s["pending_proposals"]) for s in listed] == [(session_id, 1)]
    approved = await decide(client, session_id, shown["proposals"][0]["id"], "approve")
    assert approved.status_code == 200, approved.text
    listed = (await client.get("/api/chat/sessions")).json()["items"]
    assert listed[0]["pending_proposals"] == 0


async def test_another_server_process_approves_a_proposal_made_here(
    client: Client, db: AsyncSession, agent: User, second_process: str
) -> None:
    session_id, paused = await proposed_close(client, db, agent)

    async with signed_in_at(second_process, agent) as there:
        seen = (await there.get(f"/api/chat/sessions/{session_id}")).json()["messages"][-1]
        approved = await decide(there, session_id, seen["proposals"][0]["id"], "approve")

    assert seen["proposals"] == paused["proposals"]
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "complete"
    assert (await ticket_by_number(1)).status == "closed"


async def test_resending_a_message_whose_reply_awaits_approval_replays_it(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    first = (await send(client, session["id"], "close #1", client_message_id="m-1")).json()
    again = (await send(client, session["id"], "close #1", client_message_id="m-1")).json()

    assert again == first
    assert len(await all_proposals()) == 1


# -- the policy -------------------------------------------------------------------------------
async def test_never_writes_at_once_and_records_the_write(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "close #1")

    assert status == 200
    assert "approval_required" not in names(events)
    reply = only(events, "assistant_message")["message"]
    assert reply["status"] == "complete"
    assert (await ticket_by_number(1)).status == "closed"
    [call_record] = reply["tool_calls"]
    [write] = reply["proposals"]
    assert (call_record["status"], call_record["proposal_id"]) == ("ok", write["id"])
    assert (write["state"], write["automatic"], write["decided_by"]) == ("executed", True, None)
    assert write["changes"] == [{"field": "status", "from": "open", "to": "closed"}]
    config = (await client.get("/api/chat/config")).json()["approval"]
    assert config == {"policy": "never", "ask_before_changes": False, "can_change": False}


async def test_optional_lets_each_user_choose(
    server: LiveServer,
    client: Client,
    client_for: ClientFactory,
    db: AsyncSession,
    agent: User,
    other: User,
) -> None:
    server.configure(chat_approval="optional")
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Scanner offline")
    theirs = await client_for(other)
    assert (await client.get("/api/chat/config")).json()["approval"] == {
        "policy": "optional",
        "ask_before_changes": True,
        "can_change": True,
    }

    turned_off = await client.put("/api/chat/preferences", json={"ask_before_changes": False})

    assert turned_off.status_code == 200, turned_off.text
    assert turned_off.json() == {
        "policy": "optional",
        "ask_before_changes": False,
        "can_change": True,
    }
    mine = await new_session(client)
    assert (await send(client, mine["id"], "close #1")).json()["status"] == "complete"
    assert (await ticket_by_number(1)).status == "closed"
    # Stored server-side: another sign-in sees it; another user keeps asking.
    assert (await client.get("/api/chat/config")).json()["approval"]["ask_before_changes"] is False
    other_session = await new_session(theirs)
    assert (await send(theirs, other_session["id"], "close #2")).json()["status"] == (
        "awaiting_approval"
    )
    # Where the setting decides for everyone, nobody can turn it off.
    server.configure(chat_approval="writes")
    refused = await client.put("/api/chat/preferences", json={"ask_before_changes": False})
    assert refused.status_code == 403
    assert (await client.get("/api/chat/config")).json()["approval"]["ask_before_changes"] is True
    assert (await send(client, mine["id"], "reopen #1")).json()["status"] == "awaiting_approval"


async def test_the_preference_body_is_checked(client: Client, server: LiveServer) -> None:
    server.configure(chat_approval="optional")
    for body in ({}, {"ask_before_changes": "maybe"}, {"ask_before_changes": True, "x": 1}):
        assert (await client.put("/api/chat/preferences", json=body)).status_code == 422


async def test_attached_tickets_can_be_changed_through_a_proposal(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    await attach(client, session["id"], 1)

    reply = (await send(client, session["id"], "mark it as in progress")).json()

    assert [(p["headline"], p["changes"]) for p in reply["proposals"]] == [
        ("Start #1?", [{"field": "status", "from": "open", "to": "in_progress"}])
    ]


async def test_a_write_the_offline_assistant_is_unsure_of_is_a_card_not_a_text_question(
    client: Client, db: AsyncSession, agent: User
) -> None:
    for title in ("VPN drops", "Mouse broken", "Printer jams"):
        await make_ticket(db, by=agent, title=title)
    session = await new_session(client)

    reply = (await send(client, session["id"], "i think 3 can go")).json()

    assert reply["status"] == "awaiting_approval", reply["content"]
    [proposal] = pending(reply)
    assert (proposal["headline"], proposal["changes"]) == (
        "Close #3?",
        [{"field": "status", "from": "open", "to": "closed"}],
    )
    assert (await ticket_by_number(3)).status == "open", "nothing written before approval"

    approved = await decide(client, session["id"], proposal["id"], "approve")

    assert approved.status_code == 200, approved.text
    assert (await ticket_by_number(3)).status == "closed"


async def test_an_assignment_card_shows_who_has_it_and_who_will(
    client: Client, db: AsyncSession, agent: User
) -> None:
    becker = await make_user(db, email="tom.becker@desk.example", name="Tom Becker")
    await make_user(db, email="tom.lindqvist@desk.example", name="Tom Lindqvist")
    await make_ticket(db, by=agent, title="Dock flickers")
    session = await new_session(client)

    reply = (await send(client, session["id"], "assign #1 to tom becker")).json()

    [proposal] = pending(reply)
    assert (proposal["headline"], proposal["changes"]) == (
        "Assign #1 to Tom Becker?",
        [{"field": "assignee", "from": None, "to": "Tom Becker"}],
    )
    assert (await ticket_by_number(1)).assignee_id is None, "nothing written before approval"
    approved = await decide(client, session["id"], proposal["id"], "approve")
    assert approved.status_code == 200, approved.text
    assert (await ticket_by_number(1)).assignee_id == becker.id


async def test_an_assignee_nobody_is_called_never_becomes_a_card(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Dock flickers")
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("update_ticket", {"ticket_id": 1, "assignee": "Zelda Nobody"})),
        text("I could not find Zelda."),
    )
    session = await new_session(client)

    reply = (await send(client, session["id"], "assign #1 to zelda")).json()

    assert reply["proposals"] == [] and reply["status"] == "complete", reply
    [record] = reply["tool_calls"]
    assert record["status"] == "error" and "Zelda Nobody" in record["summary"], record
