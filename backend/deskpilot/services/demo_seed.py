"""Demo data for a first start: an admin, two agents and ~60 call-sourced tickets with notes."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.demo.corpus import demo_tickets
from deskpilot.models import Ticket, TicketEvent, TicketNote, User
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
    seeds = sorted(demo_tickets(ticket_count), key=lambda s: -s.age_minutes)  # oldest first
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
                new_value={"title": seed.title, "status": "open", "priority": seed.priority},
                created_at=created_at,
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
    await db.flush()
    return credentials
