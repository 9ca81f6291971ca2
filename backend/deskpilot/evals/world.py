"""evals/world.json: the desk every case starts from, as rows of a scratch database.

The agents are inserted once; tickets and their notes are put back before each case
(`reset`): chats and tickets are deleted (notes, events and messages go with them) and the
46 tickets inserted again with their own numbers, in two statements. DELETE, not TRUNCATE:
on a few hundred rows it takes milliseconds where TRUNCATE takes hundreds.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from deskpilot.services.contacts.phones import normalize_phone

# Nobody signs in to the scratch database: the runner acts as the agent directly.
NO_PASSWORD = "!eval-no-sign-in"
# Ticket n was last updated n hours after this, so "most recent" means the highest number.
EPOCH = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Agent:
    name: str
    email: str


@dataclass(frozen=True)
class WorldTicket:
    number: int
    title: str
    description: str
    status: str
    priority: str
    category: str | None
    assignee: str | None  # an agent's name
    notes: tuple[str, ...]
    contact: str | None = None  # a WorldContact's key


@dataclass(frozen=True)
class WorldContact:
    key: str  # "c1": the world file's id, not the contact's number
    name: str
    organization: str | None
    phone: str | None
    email: str | None
    notes: str = ""


@dataclass(frozen=True)
class World:
    current_agent: str
    agents: tuple[Agent, ...]
    tickets: tuple[WorldTicket, ...]
    contacts: tuple[WorldContact, ...] = ()

    def agent(self, name: str) -> Agent:
        return next(a for a in self.agents if a.name == name)


def load_world(path: Path) -> World:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    agents = tuple(Agent(name=a["name"], email=a["email"]) for a in raw["agents"])
    tickets = tuple(
        WorldTicket(
            number=int(t["id"]),
            title=t["title"],
            description=t.get("description") or "",
            status=t["status"],
            priority=t["priority"],
            category=t.get("category"),
            assignee=t.get("assignee"),
            notes=tuple(t.get("notes") or ()),
            contact=t.get("contact_id"),
        )
        for t in raw["tickets"]
    )
    contacts = tuple(
        WorldContact(
            key=c["id"],
            name=c["name"],
            organization=c.get("organization"),
            phone=c.get("phone"),
            email=c.get("email"),
            notes=c.get("notes") or "",
        )
        for c in raw.get("contacts") or ()
    )
    world = World(
        current_agent=raw["current_agent"], agents=agents, tickets=tickets, contacts=contacts
    )
    world.agent(world.current_agent)  # StopIteration here means a broken world file
    return world


_INSERT_USER = text(
    "INSERT INTO users (id, email, name, password_hash, role)"
    " VALUES (:id, :email, :name, :password_hash, 'agent')"
)
_INSERT_TICKET = text(
    "INSERT INTO tickets (id, number, title, description, status, priority, category, source,"
    " assignee_id, contact_id, created_by, created_at, updated_at) OVERRIDING SYSTEM VALUE"
    " VALUES (:id, :number, :title, :description, :status, :priority, :category, 'call',"
    " :assignee_id, :contact_id, :created_by, :created_at, :updated_at)"
)
_INSERT_ORGANIZATION = text(
    "INSERT INTO organizations (name) VALUES (:name)"
    " ON CONFLICT (lower(name)) DO UPDATE SET name = organizations.name RETURNING id"
)
_INSERT_CONTACT = text(
    "INSERT INTO contacts (id, name, email, phone, organization_id, notes)"
    " VALUES (:id, :name, :email, :phone, :organization_id, :notes)"
)
_INSERT_NOTE = text(
    "INSERT INTO ticket_notes (ticket_id, author_id, body, created_at)"
    " VALUES (:ticket_id, :author_id, :body, :created_at)"
)
_NEXT_NUMBER = text(
    "SELECT setval(pg_get_serial_sequence('tickets', 'number'), (SELECT max(number) FROM tickets))"
)


async def install_agents(connection: AsyncConnection, world: World) -> dict[str, uuid.UUID]:
    """The agents as users (on an empty scratch database); their ids by name."""
    ids = {agent.name: uuid.uuid4() for agent in world.agents}
    await connection.execute(
        _INSERT_USER,
        [
            {"id": ids[a.name], "email": a.email, "name": a.name, "password_hash": NO_PASSWORD}
            for a in world.agents
        ],
    )
    return ids


async def install_contacts(
    connection: AsyncConnection, world: World, *, region: str = "US"
) -> dict[str, uuid.UUID]:
    """The world's contacts (phones in E.164) and their organisations, on a database that
    has none of them yet; their ids by the world's keys ("c1")."""
    ids: dict[str, uuid.UUID] = {}
    for contact in world.contacts:
        organization = None
        if contact.organization:
            organization = (
                await connection.execute(_INSERT_ORGANIZATION, {"name": contact.organization})
            ).scalar_one()
        ids[contact.key] = uuid.uuid4()
        await connection.execute(
            _INSERT_CONTACT,
            {
                "id": ids[contact.key],
                "name": contact.name,
                "email": contact.email,
                "phone": normalize_phone(contact.phone, region=region) if contact.phone else None,
                "organization_id": organization,
                "notes": contact.notes,
            },
        )
    return ids


async def reset(
    connection: AsyncConnection,
    world: World,
    agent_ids: dict[str, uuid.UUID],
    contact_ids: dict[str, uuid.UUID] | None = None,
) -> None:
    """Back to the world as written: no chats, the world's tickets and notes only (linked
    to their callers when `contact_ids`, from install_contacts, is given)."""
    await connection.execute(text("DELETE FROM chat_sessions"))
    await connection.execute(text("DELETE FROM tickets"))
    me = agent_ids[world.current_agent]
    tickets: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for ticket in world.tickets:
        ticket_id = uuid.uuid4()
        created = EPOCH + timedelta(hours=ticket.number)
        tickets.append(
            {
                "id": ticket_id,
                "number": ticket.number,
                "title": ticket.title,
                "description": ticket.description,
                "status": ticket.status,
                "priority": ticket.priority,
                "category": ticket.category,
                "assignee_id": agent_ids.get(ticket.assignee or ""),
                "contact_id": (contact_ids or {}).get(ticket.contact or ""),
                "created_by": me,
                "created_at": created,
                "updated_at": created + timedelta(minutes=len(ticket.notes)),
            }
        )
        for position, body in enumerate(ticket.notes, 1):
            author = agent_ids.get(ticket.assignee or "", me)
            notes.append(
                {
                    "ticket_id": ticket_id,
                    "author_id": author,
                    "body": body,
                    "created_at": created + timedelta(minutes=position),
                }
            )
    await connection.execute(_INSERT_TICKET, tickets)
    if notes:
        await connection.execute(_INSERT_NOTE, notes)
    await connection.execute(_NEXT_NUMBER)


async def reset_callers(connection: AsyncConnection, contact_ids: dict[str, uuid.UUID]) -> None:
    """Back to the world's callers: no calls, no contact but theirs (for intake cases,
    which log calls and add callers)."""
    await connection.execute(text("DELETE FROM interactions"))
    await connection.execute(
        text("DELETE FROM contacts WHERE NOT (id = ANY(:ids))"), {"ids": list(contact_ids.values())}
    )
