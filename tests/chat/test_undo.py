"""Undo of the copilot's writes, from its card in the chat and from the ticket's audit trail:
exactly the fields it changed while they still hold its values (else 409 naming the field
and who changed it), notes retracted, created tickets closed and detached, every undo
audited as a 'reverted' event."""

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatSession, TicketNote, User
from tests.chat.helpers import new_session, send, sign_in
from tests.chat.proposals import (
    close_proposed,
    decide,
    events_of,
    never,
    proposal_row,
    proposed_close,
)
from tests.chat.reads import fetch_all, fetch_one, ticket_by_number
from tests.conftest import ClientFactory, LiveServer
from tests.support.factories import make_ticket, make_user

Client = httpx.AsyncClient


async def approved(client: Client, session_id: str, message: str) -> dict[str, Any]:
    """The proposal of `message`, approved: as the reply shows it."""
    paused = (await send(client, session_id, message)).json()
    [proposal] = paused["proposals"]
    reply = (await decide(client, session_id, proposal["id"], "approve")).json()
    return next(p for p in reply["proposals"] if p["id"] == proposal["id"])


async def detail(client: Client, number: int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{number}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def closed_by_the_copilot(
    client: Client, db: AsyncSession, agent: User
) -> tuple[str, dict[str, Any]]:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    return session["id"], await approved(client, session["id"], "close #1")


# -- from the card --------------------------------------------------------------------------
async def test_undo_from_the_card_restores_the_field_and_audits_it(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, write = await closed_by_the_copilot(client, db, agent)
    assert (await ticket_by_number(1)).status == "closed"

    response = await decide(client, session_id, write["id"], "undo")

    assert response.status_code == 200, response.text
    undone = response.json()
    assert undone["undone_by"]["name"] == "Ada Agent"
    assert undone["undone_at"] is not None
    assert undone["state"] == "executed"
    ticket = await ticket_by_number(1)
    assert ticket.status == "open"
    events = await events_of(ticket.id)
    assert [(e.action, e.field, e.old_value, e.new_value) for e in events] == [
        ("created", None, None, events[0].new_value),
        ("updated", "status", "open", "closed"),
        ("reverted", "status", "closed", "open"),
    ]
    assert events[2].reverts_id == events[1].id
    assert events[2].actor_id == agent.id
    # The chat shows it undone after a reload.
    shown = (await client.get(f"/api/chat/sessions/{session_id}")).json()["messages"][-1]
    assert shown["proposals"][0]["undone_at"] == undone["undone_at"]


async def test_undoing_twice_changes_nothing_more(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, write = await closed_by_the_copilot(client, db, agent)

    first = await decide(client, session_id, write["id"], "undo")
    second = await decide(client, session_id, write["id"], "undo")

    assert first.status_code == second.status_code == 200
    assert second.json()["undone_at"] == first.json()["undone_at"]
    reverted = [
        e for e in await events_of((await ticket_by_number(1)).id) if e.action == "reverted"
    ]
    assert len(reverted) == 1


async def test_a_field_changed_since_is_not_undone_and_409_names_who(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, other: User
) -> None:
    session_id, write = await closed_by_the_copilot(client, db, agent)
    await (await client_for(other)).patch("/api/tickets/1", json={"status": "in_progress"})

    response = await decide(client, session_id, write["id"], "undo")

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["details"] == [
        {"field": "status", "message": "changed to In progress by Otto Other"}
    ]
    assert "status" in error["message"] and "Otto Other" in error["message"]
    assert (await ticket_by_number(1)).status == "in_progress"
    assert (await proposal_row(write["id"])).undone_at is None


async def test_an_added_note_is_retracted_and_kept(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    write = await approved(client, session["id"], "close #1 and add a note: replaced the drum")

    response = await decide(client, session["id"], write["id"], "undo")

    assert response.status_code == 200, response.text
    ticket = await detail(client, 1)
    assert ticket["status"] == "open"
    [note] = ticket["notes"]
    assert note["body"] == "replaced the drum"  # kept, shown struck through
    assert note["retracted_by"]["name"] == "Ada Agent"
    assert note["retracted_at"] is not None
    reverted = [
        (e["field"], e["reverts_id"] is not None)
        for e in ticket["events"]
        if e["action"] == "reverted"
    ]
    assert sorted(reverted) == [("note", True), ("status", True)]
    # The model no longer reads it among the ticket's notes.
    reply = (await send(client, session["id"], "show #1")).json()
    assert "replaced the drum" not in reply["content"]


async def test_a_created_ticket_is_closed_as_created_in_error_and_detached(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session = await new_session(client)
    write = await approved(
        client, session["id"], "create a ticket for the VPN outage in Berlin, it's urgent"
    )
    attached = (await client.get(f"/api/chat/sessions/{session['id']}")).json()["attached_tickets"]
    assert [t["number"] for t in attached] == [1]

    response = await decide(client, session["id"], write["id"], "undo")

    assert response.status_code == 200, response.text
    ticket = await ticket_by_number(1)
    assert ticket.status == "closed"
    assert ticket.chat_session_id is None
    chat = await fetch_one(select(ChatSession))
    assert chat.attached_ticket_ids == []
    notes = await fetch_all(select(TicketNote).where(TicketNote.ticket_id == ticket.id))
    assert [n.body for n in notes] == [
        "Created in error: the AI copilot's ticket was undone by Ada Agent."
    ]
    events = await events_of(ticket.id)
    assert [(e.action, e.field) for e in events] == [
        ("created", None),
        ("reverted", "status"),
        ("note_added", None),
    ]
    assert events[1].reverts_id == events[0].id


async def test_an_automatic_write_can_be_undone_too(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)
    session_id, reply = await proposed_close(client, db, agent)
    [write] = reply["proposals"]

    response = await decide(client, session_id, write["id"], "undo")

    assert response.status_code == 200, response.text
    assert (await ticket_by_number(1)).status == "open"


async def test_a_rejected_proposal_has_nothing_to_undo(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    await decide(client, session_id, proposal_id, "reject")

    response = await decide(client, session_id, proposal_id, "undo")

    assert response.status_code == 404


# -- from the audit trail -------------------------------------------------------------------
async def test_the_audit_trail_names_the_approver_and_offers_undo(
    client: Client,
    client_for: ClientFactory,
    db: AsyncSession,
    agent: User,
    other: User,
    admin: User,
) -> None:
    session_id, write = await closed_by_the_copilot(client, db, agent)

    mine = await detail(client, 1)
    change = mine["events"][-1]
    assert (change["channel"], change["approved_by"]["name"], change["write_id"]) == (
        "chat",
        "Ada Agent",
        write["id"],
    )
    assert change["chat_session_id"] == session_id
    assert change["can_undo"] is True
    assert mine["events"][0]["can_undo"] is False  # creating the ticket
    assert (await detail(await client_for(other), 1))["events"][-1]["can_undo"] is False
    assert (await detail(await client_for(admin), 1))["events"][-1]["can_undo"] is True

    refused = await (await client_for(other)).post(f"/api/tickets/1/events/{change['id']}/undo")
    assert refused.status_code == 403
    response = await client.post(f"/api/tickets/1/events/{change['id']}/undo")

    assert response.status_code == 200, response.text
    after = response.json()
    assert after["status"] == "open"
    assert after["events"][-2]["reverted"] is True
    assert after["events"][-2]["can_undo"] is False
    assert (after["events"][-1]["action"], after["events"][-1]["reverts_id"]) == (
        "reverted",
        change["id"],
    )
    assert (await proposal_row(write["id"])).undone_by == agent.id


async def test_an_admin_may_undo_an_agents_ai_write(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, admin: User
) -> None:
    await closed_by_the_copilot(client, db, agent)
    change = (await detail(client, 1))["events"][-1]

    response = await (await client_for(admin)).post(f"/api/tickets/1/events/{change['id']}/undo")

    assert response.status_code == 200, response.text
    assert response.json()["events"][-1]["actor"]["name"] == "Ali Admin"


async def test_a_persons_own_change_can_be_undone_from_the_trail(
    client: Client, client_for: ClientFactory, db: AsyncSession, agent: User, other: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    changed = (await client.patch("/api/tickets/1", json={"priority": "urgent"})).json()
    event = changed["events"][-1]
    assert event["can_undo"] is True

    assert (
        await (await client_for(other)).post(f"/api/tickets/1/events/{event['id']}/undo")
    ).status_code == 403
    response = await client.post(f"/api/tickets/1/events/{event['id']}/undo")

    assert response.status_code == 200, response.text
    assert response.json()["priority"] == "medium"
    created = response.json()["events"][0]
    refused = await client.post(f"/api/tickets/1/events/{created['id']}/undo")
    assert refused.status_code == 422


async def test_unknown_events_are_404(client: Client, db: AsyncSession, agent: User) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="Other")
    other_event = (await detail(client, 2))["events"][0]["id"]

    for path in (
        "/api/tickets/1/events/00000000-0000-0000-0000-000000000000/undo",
        f"/api/tickets/1/events/{other_event}/undo",
        f"/api/tickets/99/events/{other_event}/undo",
    ):
        assert (await client.post(path)).status_code == 404, path
    assert (await client.post("/api/tickets/1/events/not-a-uuid/undo")).status_code == 422


# -- done when ------------------------------------------------------------------------------
async def test_a_new_user_closes_a_ticket_with_approval_and_undoes_it(
    anon: Client, db: AsyncSession, admin: User
) -> None:
    """The issue's "done when": a new user, no model configured, asks "close #12", sees the
    diff, approves it, finds their name as approver in the audit trail, and undoes it."""
    maria = await make_user(db, email="maria@example.com", name="Maria Lopez")
    for i in range(12):
        await make_ticket(db, by=admin, title=f"Ticket {i + 1}")
    await sign_in(anon, maria)
    assert (await anon.get("/api/chat/config")).json()["offline"] is True
    session = await new_session(anon)

    paused = (await send(anon, session["id"], "close #12")).json()
    [proposal] = paused["proposals"]
    assert proposal["changes"] == [{"field": "status", "from": "open", "to": "closed"}]
    assert (await decide(anon, session["id"], proposal["id"], "approve")).status_code == 200

    trail = (await anon.get("/api/tickets/12")).json()
    change = trail["events"][-1]
    assert (trail["status"], change["approved_by"]["name"], change["can_undo"]) == (
        "closed",
        "Maria Lopez",
        True,
    )
    undone = await anon.post(f"/api/tickets/12/events/{change['id']}/undo")
    assert undone.status_code == 200
    assert undone.json()["status"] == "open"
