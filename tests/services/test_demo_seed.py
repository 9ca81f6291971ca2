"""Demo data: 3 users (1 admin) whose printed passwords work, ~60 call tickets spread over
statuses, priorities and categories, with notes and an audit trail."""

from collections import Counter

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import (
    Contact,
    Interaction,
    Organization,
    Ticket,
    TicketEvent,
    TicketNote,
    User,
)
from deskpilot.services.demo_seed import has_users, seed_demo


async def test_seed_demo(db: AsyncSession, anon: httpx.AsyncClient) -> None:
    assert await has_users(db=db) is False
    credentials = await seed_demo(db=db)
    await db.commit()
    assert await has_users(db=db) is True

    users = (await db.execute(select(User))).scalars().all()
    assert len(users) == 3
    assert Counter(u.role for u in users) == {"admin": 1, "agent": 2}
    assert all(u.is_active for u in users)
    assert sorted((c.email, c.role) for c in credentials) == sorted(
        (u.email, u.role) for u in users
    )
    passwords = [c.password for c in credentials]
    assert len(set(passwords)) == 3
    assert all(len(p) >= 12 for p in passwords)

    tickets = (await db.execute(select(Ticket).order_by(Ticket.number))).scalars().all()
    assert len(tickets) == 60
    assert [t.number for t in tickets] == list(range(1, 61))
    assert {t.status for t in tickets} == {"open", "in_progress", "resolved", "closed"}
    assert {t.priority for t in tickets} == {"low", "medium", "high", "urgent"}
    assert len({t.category for t in tickets}) >= 5
    assert {"billing", "network", "hardware", "account", "software"} <= {
        t.category for t in tickets
    }
    assert {t.source for t in tickets} == {"call"}
    assert all(t.chat_session_id is None for t in tickets)
    assert len({t.title for t in tickets}) == 60
    assert all(t.title and t.description for t in tickets)
    user_ids = {u.id for u in users}
    assert {t.created_by for t in tickets} <= user_ids
    assert {t.assignee_id for t in tickets} - {None} <= user_ids
    # Each status has a fair share, not one token ticket.
    assert min(Counter(t.status for t in tickets).values()) >= 5
    # Numbers follow time, so "newest first" lists read naturally.
    created = [t.created_at for t in tickets]
    assert created == sorted(created)
    assert all(t.updated_at >= t.created_at for t in tickets)

    notes_per_ticket = Counter((await db.execute(select(TicketNote.ticket_id))).scalars().all())
    assert len(notes_per_ticket) >= 20  # many tickets carry notes
    assert len(notes_per_ticket) < 60  # and some have none
    created_events = await db.scalar(
        select(func.count()).select_from(TicketEvent).where(TicketEvent.action == "created")
    )
    assert created_events == 60

    # The passwords handed back actually sign in, with the right role.
    for credential in credentials:
        async with httpx.AsyncClient(base_url=str(anon.base_url)) as fresh:
            response = await fresh.post(
                "/api/auth/login", json={"email": credential.email, "password": credential.password}
            )
            assert response.status_code == 200, response.text
            assert response.json()["user"]["role"] == credential.role
            listed = await fresh.get("/api/tickets", params={"limit": 100})
            assert len(listed.json()["items"]) == 60
    wrong = await anon.post(
        "/api/auth/login", json={"email": credentials[0].email, "password": credentials[1].password}
    )
    assert wrong.status_code == 401


async def test_seed_demo_callers(db: AsyncSession) -> None:
    """~40 contacts over ~10 organisations; repeat callers with several tickets; one call per
    call-sourced ticket; a few calls that made no ticket."""
    await seed_demo(db=db)
    await db.commit()
    contacts = (await db.execute(select(Contact))).scalars().all()
    assert len(contacts) == 40
    assert await db.scalar(select(func.count()).select_from(Organization)) == 10
    tickets = (await db.execute(select(Ticket))).scalars().all()
    per_caller = Counter(t.contact_id for t in tickets)
    assert None not in per_caller  # every demo ticket came from a known caller
    assert sum(1 for n in per_caller.values() if n >= 3) >= 4  # repeat callers
    calls = (await db.execute(select(Interaction))).scalars().all()
    about = Counter(c.ticket_id for c in calls if c.ticket_id is not None)
    assert set(about) == {t.id for t in tickets if t.source == "call"}
    assert set(about.values()) == {1}
    by_ticket = {t.id: t for t in tickets}
    assert all(by_ticket[c.ticket_id].contact_id == c.contact_id for c in calls if c.ticket_id)
    assert 3 <= sum(1 for c in calls if c.ticket_id is None) <= 10
