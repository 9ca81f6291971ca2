"""Small builders for test data, through the same services the app uses."""

from functools import cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.security import hash_password
from deskpilot.models import Contact, Ticket, User
from deskpilot.schemas.contact import ContactCreate
from deskpilot.schemas.ticket import TicketCreate
from deskpilot.services.actor import Actor
from deskpilot.services.contact_service import create_contact
from deskpilot.services.ticket_service import create_ticket

DEFAULT_PASSWORD = "correct horse battery"


@cache
def _hash(password: str) -> str:
    return hash_password(password)  # argon2 is slow on purpose; hash each password once per run


async def make_user(
    db: AsyncSession,
    *,
    email: str,
    name: str = "Test User",
    role: str = "agent",
    password: str = DEFAULT_PASSWORD,
    active: bool = True,
) -> User:
    user = User(email=email, name=name, role=role, password_hash=_hash(password), is_active=active)
    db.add(user)
    await db.commit()
    return user


async def make_ticket(db: AsyncSession, *, by: User, **fields: Any) -> Ticket:
    data = TicketCreate(
        **{"title": "Printer jammed", "description": "Paper stuck in tray 2", **fields}
    )
    ticket = await create_ticket(db=db, data=data, actor=Actor(user_id=by.id))
    await db.commit()
    return ticket


async def make_contact(db: AsyncSession, *, name: str, **fields: Any) -> Contact:
    """A contact through the service (phone and e-mail normalised, organisation by name)."""
    region = fields.pop("region", "US")
    contact = await create_contact(db=db, data=ContactCreate(name=name, **fields), region=region)
    await db.commit()
    return contact
