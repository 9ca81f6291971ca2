"""What keeps proposals safe: only their owner decides them; a decision happens once, however
many requests (and processes) ask at once; a stale approval is refused with the fresh diff;
a new message supersedes what waits; out-of-scope writes never become proposals."""

import asyncio
import json
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatProposal, TicketEvent, User
from tests.chat.helpers import FakeServer, new_session, send, signed_in_at, use_fake
from tests.chat.injection import Attack, obey_the_injection
from tests.chat.leases import chat_taken
from tests.chat.proposals import (
    all_proposals,
    approve_all,
    close_proposed,
    decide,
    decide_sse,
    events_of,
    proposal_row,
)
from tests.chat.reads import chat_events, fetch_all, stored_messages, ticket_by_number
from tests.chat.received import tool_results_in
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket

Client = httpx.AsyncClient


async def writes_to(number: int) -> list[TicketEvent]:
    ticket = await ticket_by_number(number)
    return [e for e in await events_of(ticket.id) if e.action != "created"]


# -- only the owner -------------------------------------------------------------------------
async def test_another_user_gets_404_for_every_decision(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, other: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    message_id = (await stored_messages(session_id))[-1].id
    theirs = await client_for(other)

    answers = [
        await decide(theirs, session_id, proposal_id, "approve"),
        await decide(theirs, session_id, proposal_id, "reject", reason="no"),
        await decide(theirs, session_id, proposal_id, "undo"),
        await approve_all(theirs, session_id, str(message_id)),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert {a.json()["error"]["code"] for a in answers[:3]} == {"proposal_not_found"}
    assert (await proposal_row(proposal_id)).state == "pending"
    assert await writes_to(1) == []


async def test_unknown_or_malformed_ids_are_404(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    elsewhere = await new_session(client)

    for sid, pid in [
        (session_id, str(uuid.uuid4())),
        (session_id, "not-an-id"),
        ("not-an-id", proposal_id),
        (elsewhere["id"], proposal_id),  # the caller's, but another chat's proposal
    ]:
        response = await decide(client, sid, pid, "approve")
        assert response.status_code == 404, (sid, pid, response.text)
    assert (await proposal_row(proposal_id)).state == "pending"


# -- once -------------------------------------------------------------------------------------
async def test_a_second_approve_gets_the_stored_outcome_and_writes_nothing(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    first = await decide(client, session_id, proposal_id, "approve")
    second = await decide(client, session_id, proposal_id, "approve")
    rejected_late = await decide(client, session_id, proposal_id, "reject", reason="late")

    assert first.status_code == second.status_code == rejected_late.status_code == 200
    assert second.json() == first.json() == rejected_late.json()
    assert [(e.field, e.new_value) for e in await writes_to(1)] == [("status", "closed")]
    assert (await proposal_row(proposal_id)).state == "executed"


async def test_concurrent_approves_write_once(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    answers = await asyncio.gather(
        *(decide(client, session_id, proposal_id, "approve") for _ in range(6))
    )

    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert [(e.field, e.new_value) for e in await writes_to(1)] == [("status", "closed")]
    assert {a.json()["proposals"][0]["state"] for a in answers} == {"executed"}
    # The reply went on once: one continuation stored its text.
    [_, reply] = await stored_messages(session_id)
    assert (reply.status, reply.content.count("Updated **#1**")) == ("complete", 1)


async def test_approves_from_two_processes_at_once_write_once(
    client: Client, db: AsyncSession, agent: User, second_process: str
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    async with signed_in_at(second_process, agent) as there:
        answers = await asyncio.gather(
            *(decide(c, session_id, proposal_id, "approve") for c in (client, there) * 3)
        )

    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert [(e.field, e.new_value) for e in await writes_to(1)] == [("status", "closed")]


async def test_approve_and_reject_at_once_decide_once(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    approved, rejected = await asyncio.gather(
        decide(client, session_id, proposal_id, "approve"),
        decide(client, session_id, proposal_id, "reject", reason="no"),
    )

    assert approved.status_code == rejected.status_code == 200
    state = (await proposal_row(proposal_id)).state
    assert state in ("executed", "rejected")
    assert len(await writes_to(1)) == (1 if state == "executed" else 0)


# -- stale ----------------------------------------------------------------------------------
async def test_a_field_changed_since_the_proposal_gets_409_with_the_fresh_diff(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, other: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    theirs = await client_for(other)
    assert (await theirs.patch("/api/tickets/1", json={"status": "in_progress"})).status_code == 200

    stale = await decide(client, session_id, proposal_id, "approve")

    assert stale.status_code == 409, stale.text
    body = stale.json()
    assert body["error"]["code"] == "stale"
    assert body["proposal"]["state"] == "pending"
    assert body["proposal"]["changes"] == [
        {"field": "status", "from": "in_progress", "to": "closed"}
    ]
    assert (await ticket_by_number(1)).status == "in_progress"  # not overwritten
    assert [e.actor_id for e in await writes_to(1)] == [other.id]

    again = await decide(client, session_id, proposal_id, "approve")  # having seen it

    assert again.status_code == 200, again.text
    assert again.json()["proposals"][0]["changes"] == [
        {"field": "status", "from": "in_progress", "to": "closed"}
    ]
    assert (await ticket_by_number(1)).status == "closed"


async def test_a_note_added_meanwhile_does_not_make_a_status_change_stale(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, other: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    theirs = await client_for(other)
    await theirs.post("/api/tickets/1/notes", json={"body": "Called the customer"})

    response = await decide(client, session_id, proposal_id, "approve")

    assert response.status_code == 200, response.text
    assert (await ticket_by_number(1)).status == "closed"


# -- superseded -------------------------------------------------------------------------------
async def test_a_new_message_supersedes_what_waits_and_the_model_is_told(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, fake)
    fake.script(
        tool_calls(call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="call_close")),
        text("Fine, I'll leave it."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "close #1")).json()
    proposal_id = paused["proposals"][0]["id"]

    moved_on = await send(client, session["id"], "actually, never mind")

    assert moved_on.status_code == 200, moved_on.text
    row = await proposal_row(proposal_id)
    assert row.state == "superseded"
    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored][:2] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert stored[1].tool_calls[0]["status"] == "superseded"
    # The model read the superseded call's result in the history.
    [told] = [r for r in tool_results_in(fake.requests[1]) if r["id"] == "call_close"]
    assert told["content"]["error"]["code"] == "superseded"
    # It can no longer be approved: the stored outcome, nothing written.
    late = await decide(client, session["id"], proposal_id, "approve")
    assert late.status_code == 200
    assert late.json()["proposals"][0]["state"] == "superseded"
    assert (await ticket_by_number(1)).status == "open"
    listed = (await client.get("/api/chat/sessions")).json()["items"]
    assert listed[0]["pending_proposals"] == 0


# -- approve all ------------------------------------------------------------------------------
async def test_approve_all_runs_the_pending_proposals_in_order_then_goes_on(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Scanner offline")
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(
            call("update_ticket", {"ticket_id": 2, "notes": "Replaced the cable"}, id="c_note"),
            call("update_ticket", {"ticket_id": 1, "status": "resolved"}, id="c_resolve"),
            call("create_ticket", {"title": "Cable stock low", "description": "x"}, id="c_new"),
        ),
        text("All three done."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "note on #2, resolve #1, and log the stock")).json()

    response = await approve_all(client, session["id"], paused["id"])

    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["content"] == "All three done."
    assert [(p["tool_call_id"], p["state"]) for p in reply["proposals"]] == [
        ("c_note", "executed"),
        ("c_resolve", "executed"),
        ("c_new", "executed"),
    ]
    written = await chat_events()
    by_call = {p["id"]: p["tool_call_id"] for p in reply["proposals"]}
    assert [by_call[str(e.write_id)] for e in written] == ["c_note", "c_resolve", "c_new"]
    assert len(openai_fake.requests) == 2  # one continuation, after the last
    again = await approve_all(client, session["id"], paused["id"])
    assert again.status_code == 404  # nothing waits any more


async def test_approve_all_stops_at_a_stale_proposal(
    server: LiveServer,
    client: Client,
    client_for: ClientFactory,
    db: AsyncSession,
    agent: User,
    other: User,
    openai_fake: FakeOpenAIServer,
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Scanner offline")
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(
            call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="c_one"),
            call("update_ticket", {"ticket_id": 2, "status": "closed"}, id="c_two"),
        ),
        text("Both closed."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "close #1 and #2")).json()
    await (await client_for(other)).patch("/api/tickets/2", json={"status": "resolved"})

    stale = await approve_all(client, session["id"], paused["id"])

    assert stale.status_code == 409
    assert stale.json()["proposal"]["tool_call_id"] == "c_two"
    assert [(await proposal_row(p["id"])).state for p in paused["proposals"]] == [
        "executed",
        "pending",
    ]
    assert [(await ticket_by_number(n)).status for n in (1, 2)] == ["closed", "resolved"]
    assert len(openai_fake.requests) == 1  # not carried on while one still waits


# -- scope: what never becomes a proposal ------------------------------------------------------
async def test_the_injection_ends_in_no_proposal_outside_the_scope(
    server: LiveServer, client: Client, attack: Attack, fake: FakeServer
) -> None:
    """The hardening's attack with approval on: the tickets the text orders closed are
    refused (no proposal); only the attached one, which the agent chose, is proposed, and
    nothing is written without their approval."""
    session, theirs = attack.session, attack.theirs
    use_fake(server, fake)
    fake.script(*obey_the_injection())

    response = await send(client, session["id"], "summarise the attached ticket please")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [
        *((f"call_close_{n}", "refused") for n in range(1, 6)),
        ("call_close_6", "proposed"),
        ("call_spy", "ok"),
        ("call_chat", "error"),
    ]
    proposals = await all_proposals()
    assert [(p.tool_call_id, p.state) for p in proposals] == [("call_close_6", "pending")]
    assert await chat_events() == []
    assert [(await ticket_by_number(n)).status for n in range(1, 7)] == ["open"] * 6
    assert len(fake.requests) == 1  # paused on the proposal: the model waits for the agent
    assert theirs["id"] not in json.dumps(fake.requests)


async def test_refused_and_invalid_writes_are_errors_for_the_model_not_proposals(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, fake: FakeServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Not named")
    use_fake(server, fake)
    fake.script(
        tool_calls(
            call("update_ticket", {"ticket_id": 2, "status": "closed"}, id="c_unnamed"),
            call("update_ticket", {"ticket_id": 1, "status": "shut"}, id="c_invalid"),
            call("update_ticket", {"ticket_id": 99, "status": "closed"}, id="c_missing"),
            call("update_ticket", {"ticket_id": 1}, id="c_nothing"),
            call("create_ticket", {"title": ""}, id="c_bad_create"),
        ),
        text("None of that worked."),
    )
    session = await new_session(client)

    reply = (await send(client, session["id"], "deal with #1")).json()

    assert reply["status"] == "complete"  # nothing to approve: the model answered at once
    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [
        ("c_unnamed", "refused"),
        ("c_invalid", "error"),
        ("c_missing", "error"),
        ("c_nothing", "error"),
        ("c_bad_create", "error"),
    ]
    assert await all_proposals() == []
    codes = {r["id"]: r["content"]["error"]["code"] for r in tool_results_in(fake.requests[1])}
    assert codes == {
        "c_unnamed": "refused",
        "c_invalid": "invalid_arguments",
        "c_missing": "not_found",
        "c_nothing": "invalid_arguments",
        "c_bad_create": "invalid_arguments",
    }


async def test_a_change_that_is_already_so_is_not_proposed(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed", status="closed")
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="c_same")),
        text("It was already closed."),
    )
    session = await new_session(client)

    reply = (await send(client, session["id"], "close #1")).json()

    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [("c_same", "ok")]
    assert await all_proposals() == []
    assert tool_results_in(openai_fake.requests[1])[0]["content"]["changes"] == []


@pytest.mark.usefixtures("two_printer_tickets")
async def test_a_ticket_the_copilot_found_is_writable_only_through_a_proposal(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    """Write scope (shared/notes/seams.md): found, not named; with approval on, the agent
    decides; with approval off, it stays refused."""
    script = [
        tool_calls(call("search_tickets", {"query": "printer"}, id="c_search")),
        tool_calls(call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="c_close")),
        text("Done."),
    ]
    use_fake(server, openai_fake)
    openai_fake.script(*script)
    session = await new_session(client)

    proposed = (await send(client, session["id"], "find printer tickets")).json()

    assert [(c["id"], c["status"]) for c in proposed["tool_calls"]] == [
        ("c_search", "ok"),
        ("c_close", "proposed"),
    ]
    assert (await ticket_by_number(1)).status == "open"

    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.reset()
    openai_fake.script(*script)
    refused = (await send(client, (await new_session(client))["id"], "find printer tickets")).json()
    assert [c["status"] for c in refused["tool_calls"]] == ["ok", "refused"]


@pytest.fixture
async def two_printer_tickets(db: AsyncSession, agent: User) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Printer toner empty")


async def test_a_session_deleted_with_a_pending_proposal_takes_it_along(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    assert (await client.delete(f"/api/chat/sessions/{session_id}")).status_code == 204

    assert await fetch_all(select(ChatProposal)) == []
    assert (await decide(client, session_id, proposal_id, "approve")).status_code == 404


@pytest.mark.parametrize("streamed", [False, True], ids=["json", "sse"])
async def test_an_approval_while_another_turn_has_the_chat_writes_and_leaves_the_reply_as_is(
    client: Client, db: AsyncSession, agent: User, streamed: bool
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    async with chat_taken(session_id):
        if streamed:
            status, events = await decide_sse(client, session_id, proposal_id, "approve")
        else:
            response = await decide(client, session_id, proposal_id, "approve")
            status, events = (
                response.status_code,
                [("assistant_message", {"message": response.json()})],
            )

    assert status == 200
    if streamed:
        assert [name for name, _ in events] == ["proposal_updated", "assistant_message", "done"]
    reply = events[-2 if streamed else -1][1]["message"]
    assert reply["status"] == "complete"  # not left "pending" with nobody to carry it on
    assert reply["proposals"][0]["state"] == "executed"
    assert (await ticket_by_number(1)).status == "closed"
    [_, stored] = await stored_messages(session_id)
    assert stored.status == "complete"
