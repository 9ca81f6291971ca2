"""Ticket numbers under concurrency, and row locking of concurrent updates."""

import asyncio
import itertools

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Ticket, TicketEvent
from tests.support import fast

client_for, client = fast.client_for, fast.client


async def test_50_concurrent_creates_get_50_distinct_consecutive_numbers(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    responses = await asyncio.gather(
        *(client.post("/api/tickets", json={"title": f"Concurrent {i}"}) for i in range(50))
    )
    assert [r.status_code for r in responses] == [201] * 50
    tickets = [r.json() for r in responses]
    assert sorted(t["number"] for t in tickets) == list(range(1, 51))
    assert len({t["id"] for t in tickets}) == 50
    # Each response carries the number stored for its own title.
    stored = {
        row.title: row.number for row in await db.execute(select(Ticket.title, Ticket.number))
    }
    assert {t["title"]: t["number"] for t in tickets} == stored
    created = await db.scalar(
        select(func.count()).select_from(TicketEvent).where(TicketEvent.action == "created")
    )
    assert created == 50
    # The next one continues the sequence.
    after = await client.post("/api/tickets", json={"title": "after"})
    assert after.json()["number"] == 51


async def test_concurrent_updates_to_one_ticket_keep_a_consistent_audit_trail(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/api/tickets", json={"title": "t0"})).status_code == 201
    responses = await asyncio.gather(
        *(client.patch("/api/tickets/1", json={"title": f"t{i}"}) for i in range(1, 21))
    )
    assert [r.status_code for r in responses] == [200] * 20
    ticket = (await client.get("/api/tickets/1")).json()
    changes = [(e["old_value"], e["new_value"]) for e in ticket["events"] if e["field"] == "title"]
    assert len(changes) == 20
    # Updates were serialised: each one saw the title the previous one wrote.
    assert changes[0][0] == "t0"
    for previous, current in itertools.pairwise(changes):
        assert current[0] == previous[1]
    assert ticket["title"] == changes[-1][1]
    assert sorted(new for _, new in changes) == sorted(f"t{i}" for i in range(1, 21))


async def test_concurrent_notes_are_all_kept(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/tickets", json={"title": "busy"})).status_code == 201
    responses = await asyncio.gather(
        *(client.post("/api/tickets/1/notes", json={"body": f"note {i}"}) for i in range(20))
    )
    assert [r.status_code for r in responses] == [201] * 20
    ticket = (await client.get("/api/tickets/1")).json()
    assert sorted(n["body"] for n in ticket["notes"]) == sorted(f"note {i}" for i in range(20))
    assert [e["action"] for e in ticket["events"]] == ["created"] + ["note_added"] * 20
