"""The copilot's view of callers: contacts by their number (the id the model uses), what the
model sees of one (with their open tickets), and whether a write may name one at once.

Reads and writes go through the contact services the REST API uses
(services/contact_service.py and services/contacts/)."""

import re
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.core.errors import NotFound
from deskpilot.models import ChatProposal, Contact, Organization, Ticket
from deskpilot.schemas.contact import ContactPublic
from deskpilot.services import contact_service

if TYPE_CHECKING:  # the tools import this module
    from deskpilot.services.chat.tools.base import ToolContext

ACTIVE = ("open", "in_progress")
OPEN_TICKETS_SHOWN = 5


async def contact_by_number(db: AsyncSession, number: int) -> Contact:
    try:
        return await contact_service.get_contact(db=db, ref=number)
    except NotFound:
        raise NotFound(f"Contact C-{number} not found; find_contact looks callers up") from None


_IDS = ARRAY(UUID(as_uuid=True))
# Each contact's open tickets, newest activity first, a few each (the tickets' own index on
# contact_id serves it). Module-level, bound by name: it runs on a RawReader too.
_OPEN_TICKETS = (
    select(
        Ticket.contact_id,
        Ticket.id,
        Ticket.number,
        Ticket.title,
        Ticket.status,
        Ticket.priority,
    )
    .where(
        Ticket.contact_id == func.any(bindparam("ids", type_=_IDS)),
        Ticket.status.in_([literal_column(f"'{status}'") for status in ACTIVE]),
    )
    .order_by(Ticket.updated_at.desc())
    .limit(bindparam("limit"))
)


async def open_tickets_of(
    db: Reader, contact_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each contact's open and in-progress tickets, newest activity first (a few each)."""
    wanted = list(dict.fromkeys(contact_ids))
    found: dict[uuid.UUID, list[dict[str, Any]]] = {c: [] for c in wanted}
    if not wanted:
        return found
    params = {"ids": wanted, "limit": OPEN_TICKETS_SHOWN * len(wanted) * 4}
    for contact_id, ticket_id, number, title, status, priority in await db.execute(
        _OPEN_TICKETS, params
    ):
        shown = found[contact_id]
        if len(shown) < OPEN_TICKETS_SHOWN:
            shown.append(
                {
                    "id": ticket_id,
                    "number": number,
                    "title": title,
                    "status": status,
                    "priority": priority,
                }
            )
    return found


def for_model(contact: ContactPublic | Contact, organization: str | None = None) -> dict[str, Any]:
    """What the model sees of a contact (its number is the id tools take)."""
    if isinstance(contact, ContactPublic):
        organization = contact.organization.name if contact.organization else None
    return {
        "id": str(contact.id),
        "number": contact.number,
        "name": contact.name,
        "organization": organization,
        "phone": contact.phone,
        "email": contact.email,
    }


async def shown(db: AsyncSession, contact: Contact) -> dict[str, Any]:
    """for_model's fields of an ORM contact, its organisation's name read."""
    organization = (
        await db.scalar(select(Organization.name).where(Organization.id == contact.organization_id))
        if contact.organization_id
        else None
    )
    return for_model(contact, organization)


def ref_of(contact: dict[str, Any]) -> dict[str, Any]:
    """ContactRef's fields from for_model's."""
    return {k: contact.get(k) for k in ("id", "number", "name", "organization", "phone")}


async def ref_by_number(db: AsyncSession, number: int) -> dict[str, Any]:
    """The ContactRef of contact number N, as a proposal's snapshot shows the caller."""
    return ref_of(await shown(db, await contact_by_number(db, number)))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def named_by_user(contact: Contact, texts: Iterable[str]) -> bool:
    """Whether the agent's own messages name this caller: their e-mail, their phone number
    (its last 7 digits, in any format) or their full name."""
    phone = _digits(contact.phone or "")[-7:]
    email = (contact.email or "").casefold()
    name = " ".join(contact.name.split()).casefold()
    for text in texts:
        folded = " ".join(text.split()).casefold()
        if email and email in folded:
            return True
        if len(phone) == 7 and phone in _digits(text):
            return True
        if len(name.split()) >= 2 and re.search(rf"\b{re.escape(name)}\b", folded):
            return True
    return False


async def may_write_for(db: AsyncSession, contact: Contact, context: "ToolContext") -> bool:
    """A write made at once may name a caller the agent named, or one the copilot created
    in this chat; one the copilot only found needs the agent's approval (seams.md)."""
    if context.approved or contact.id in context.scope.created_contact_ids:
        return True
    if named_by_user(contact, context.scope.user_texts):
        return True
    created = await db.scalar(
        select(ChatProposal.id).where(
            ChatProposal.session_id == context.scope.session_id,
            ChatProposal.tool == "create_contact",
            ChatProposal.state == "executed",
            ChatProposal.undone_at.is_(None),
            ChatProposal.result["contact"]["id"].astext == str(contact.id),
        )
    )
    return created is not None


async def write_refusal(db: AsyncSession, contact: Contact, context: "ToolContext") -> str | None:
    """Why a write made at once may not name this caller (see may_write_for), else None."""
    if await may_write_for(db, contact, context):
        return None
    return (
        f"Refused: caller C-{contact.number} was not named by the agent nor created in "
        "this chat. Propose it for the agent's approval, or ask the agent to confirm the "
        "caller."
    )
