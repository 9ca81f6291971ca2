"""evals/world.json: the desk every case starts from, as rows of a scratch database.

The agents are inserted once; tickets and their notes are put back before each case
(`reset`): chats and tickets are deleted (notes, events and messages go with them) and the
46 tickets inserted again with their own numbers, in two statements. DELETE, not TRUNCATE:
on a few hundred rows it takes milliseconds where TRUNCATE takes hundreds.
"""

import json
import re
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
    key: str  # "c1": the world's name for it, which tickets and intake cases use
    number: int  # the contact's number in the scratch database (c1 → C-1)
    name: str
    organization: str | None
    phone: str | None
    email: str | None
    notes: str


@dataclass(frozen=True)
class World:
    current_agent: str
    agents: tuple[Agent, ...]
    tickets: tuple[WorldTicket, ...]
    contacts: tuple[WorldContact, ...] = ()
    ticket_contacts: tuple[tuple[int, str], ...] = ()  # (ticket number, contact key)

    def contact(self, key: str) -> WorldContact:
        return next(c for c in self.contacts if c.key == key)

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
            number=int(re.sub(r"\D", "", c["id"]) or position),
            name=c["name"],
            organization=c.get("organization"),
            phone=c.get("phone"),
            email=c.get("email"),
            notes=c.get("notes") or "",
        )
        for position, c in enumerate(raw.get("contacts") or [], 1)
    )
    linked = tuple((int(t["id"]), t["contact_id"]) for t in raw["tickets"] if t.get("contact_id"))
    world = World(
        current_agent=raw["current_agent"],
        agents=agents,
        tickets=tickets,
        contacts=contacts,
        ticket_contacts=linked,
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


async def reset(
    connection: AsyncConnection,
    world: World,
    agent_ids: dict[str, uuid.UUID],
    contact_ids: dict[str, uuid.UUID] | None = None,
) -> None:
    """Back to the world as written: no chats, the world's tickets, notes and callers only
    (the callers are installed again here; `contact_ids` is accepted and not needed)."""
    del contact_ids
    await connection.execute(text("DELETE FROM chat_sessions"))
    await connection.execute(text("DELETE FROM tickets"))
    contact_ids = await install_contacts(connection, world)
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
                "contact_id": contact_ids.get(dict(world.ticket_contacts).get(ticket.number, "")),
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


_INSERT_ORGANIZATION = text("INSERT INTO organizations (id, name) VALUES (:id, :name)")
_INSERT_CONTACT = text(
    "INSERT INTO contacts (id, number, name, email, phone, organization_id, notes)"
    " OVERRIDING SYSTEM VALUE"
    " VALUES (:id, :number, :name, :email, :phone, :organization_id, :notes)"
)
_NEXT_CONTACT = text(
    "SELECT setval(pg_get_serial_sequence('contacts', 'number'),"
    " greatest((SELECT max(number) FROM contacts), 1))"
)


async def install_contacts(connection: AsyncConnection, world: World) -> dict[str, uuid.UUID]:
    """The world's callers (their calls and organisations) as written; their ids by key.
    Phones are stored as the desk stores them (E.164)."""
    await connection.execute(text("DELETE FROM interactions"))
    await connection.execute(text("DELETE FROM contacts"))
    await connection.execute(text("DELETE FROM organizations"))
    if not world.contacts:
        return {}
    organizations = {c.organization: uuid.uuid4() for c in world.contacts if c.organization}
    if organizations:
        await connection.execute(
            _INSERT_ORGANIZATION, [{"id": i, "name": n} for n, i in organizations.items()]
        )
    ids = {c.key: uuid.uuid4() for c in world.contacts}
    await connection.execute(
        _INSERT_CONTACT,
        [
            {
                "id": ids[c.key],
                "number": c.number,
                "name": c.name,
                "email": c.email,
                "phone": normalize_phone(c.phone, region="US") if c.phone else None,
                "organization_id": organizations.get(c.organization or ""),
                "notes": c.notes,
            }
            for c in world.contacts
        ],
    )
    await connection.execute(_NEXT_CONTACT)
    return ids
