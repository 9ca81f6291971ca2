"""Demo data for a first start: an admin, two agents, ~40 callers across 10 organisations,
and ~60 call-sourced tickets with notes, each linked to its caller and to the call that
opened it (plus a few calls that made no ticket)."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.demo.callers import CALLS_WITHOUT_TICKET, ContactSeed, demo_contacts
from deskpilot.demo.corpus import demo_tickets
from deskpilot.models import (
    Contact,
    Interaction,
    Organization,
    Ticket,
    TicketEvent,
    TicketNote,
    User,
)
from deskpilot.services.user_service import create_user

DEMO_USERS = (
    ("admin@deskpilot.local", "Alex Admin", "admin"),
    ("maria@deskpilot.local", "Maria Lopez", "agent"),
    ("sam@deskpilot.local", "Sam Okafor", "agent"),
)


@dataclass(frozen=True)
class DemoCredential:
    email: str
    password: str
    role: str


async def has_users(*, db: AsyncSession) -> bool:
    return bool(await db.scalar(select(func.count()).select_from(User)))


async def seed_demo(*, db: AsyncSession, ticket_count: int = 60) -> list[DemoCredential]:
    """Create demo users (fresh random passwords, returned once) and tickets. Caller commits."""
    credentials: list[DemoCredential] = []
    users: list[User] = []
    for email, name, role in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        users.append(await create_user(db=db, email=email, name=name, password=password, role=role))
        credentials.append(DemoCredential(email, password, role))

    agents = users[1:]
    now = datetime.now(UTC)
    roster = demo_contacts()
    contacts = await _seed_contacts(db, roster)
    seeds = sorted(demo_tickets(ticket_count, callers=roster), key=lambda s: -s.age_minutes)
    for index, seed in enumerate(seeds):
        created_at = now - timedelta(minutes=seed.age_minutes)
        creator = users[index % len(users)]
        assignee = None if seed.status == "open" and index % 3 == 0 else agents[index % 2]
        ticket = Ticket(
            title=seed.title,
            description=seed.description,
            status=seed.status,
            priority=seed.priority,
            category=seed.category,
            source="call",
            created_by=creator.id,
            assignee_id=assignee.id if assignee else None,
            contact_id=caller.id if (caller := contacts.get(seed.caller or "")) else None,
            created_at=created_at,
            updated_at=created_at + timedelta(minutes=15 * len(seed.notes)),
        )
        db.add(ticket)
        await db.flush()
        db.add(
            TicketEvent(
                ticket_id=ticket.id,
                actor_id=creator.id,
                channel="ui",
                action="created",
                new_value={
                    "title": seed.title,
                    "status": "open",
                    "priority": seed.priority,
                    **({"contact": _contact_value(caller)} if caller else {}),
                },
                created_at=created_at,
            )
        )
        if caller is not None:  # the call that opened the ticket
            db.add(
                Interaction(
                    contact_id=caller.id,
                    ticket_id=ticket.id,
                    agent_id=creator.id,
                    started_at=created_at - timedelta(minutes=3 + index % 9),
                    duration_seconds=90 + (index * 53) % 600,
                    summary=f"Reported: {seed.title}",
                )
            )
        for offset, body in enumerate(seed.notes, start=1):
            note_author = assignee or creator
            noted_at = created_at + timedelta(minutes=15 * offset)
            db.add(
                TicketNote(
                    ticket_id=ticket.id, author_id=note_author.id, body=body, created_at=noted_at
                )
            )
        if seed.status != "open":
            db.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    actor_id=(assignee or creator).id,
                    channel="ui",
                    action="updated",
                    field="status",
                    old_value="open",
                    new_value=seed.status,
                    created_at=created_at + timedelta(minutes=10),
                )
            )
    for index, (direction, summary) in enumerate(CALLS_WITHOUT_TICKET):
        db.add(
            Interaction(
                contact_id=contacts[roster[index * 3].name].id,
                agent_id=agents[index % 2].id,
                direction=direction,
                started_at=now - timedelta(hours=5 + 7 * index),
                duration_seconds=60 + 45 * index,
                summary=summary,
            )
        )
    await db.flush()
    return credentials


async def _seed_contacts(db: AsyncSession, roster: list[ContactSeed]) -> dict[str, Contact]:
    """The demo's organisations and contacts; the contacts by name."""
    organizations: dict[str, Organization] = {}
    for seed in roster:
        if seed.organization not in organizations:
            organizations[seed.organization] = Organization(name=seed.organization)
    db.add_all(organizations.values())
    await db.flush()
    contacts = {
        seed.name: Contact(
            name=seed.name,
            phone=seed.phone,
            email=seed.email,
            organization_id=organizations[seed.organization].id,
            notes=seed.notes,
        )
        for seed in roster
    }
    db.add_all(contacts.values())
    await db.flush()
    for contact in contacts.values():
        await db.refresh(contact)  # its number
    return contacts


def _contact_value(contact: Contact) -> dict[str, object]:
    return {"id": str(contact.id), "number": contact.number, "name": contact.name}
