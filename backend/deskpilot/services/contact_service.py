"""Callers (issue 15), the front door: contacts (search, read, create, edit, merge) and the
call log. The REST routes and the copilot's tools both come through here; the insides
are in services/contacts/ (phones, emails, organizations, search, rows, detail, writes,
merge, calls)."""

import uuid

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.models import Contact, Interaction, Ticket
from deskpilot.schemas.contact import ContactPage
from deskpilot.services.contacts.calls import call_public, list_calls, log_call
from deskpilot.services.contacts.detail import contact_detail
from deskpilot.services.contacts.merge import Merged, merge_contacts
from deskpilot.services.contacts.phones import display_phone, normalize_phone
from deskpilot.services.contacts.rows import (
    contact_not_found,
    contact_public,
    contact_refs_by_id,
    parse_contact_ref,
)
from deskpilot.services.contacts.search import ContactQuery, parse_query, search_contacts
from deskpilot.services.contacts.writes import create_contact, update_contact

__all__ = [
    "ContactQuery",
    "Merged",
    "call_public",
    "contact_detail",
    "contact_public",
    "contact_refs_by_id",
    "create_contact",
    "delete_unused_contact",
    "display_phone",
    "find_contacts",
    "get_contact",
    "list_calls",
    "log_call",
    "merge_contacts",
    "normalize_phone",
    "update_contact",
]


async def get_contact(
    *, db: AsyncSession, ref: str | int | uuid.UUID, lock: bool = False
) -> Contact:
    """The contact `ref` names (its number, "C-12", or its id); 404 otherwise."""
    parsed = parse_contact_ref(ref)
    condition = Contact.number == parsed if isinstance(parsed, int) else Contact.id == parsed
    statement = select(Contact).where(condition)
    if lock:
        statement = statement.with_for_update()
    contact = (await db.execute(statement)).scalar_one_or_none()
    if contact is None:
        raise contact_not_found(parsed)
    return contact


async def find_contacts(
    *,
    db: Reader,
    q: str,
    region: str,
    organization_id: uuid.UUID | None = None,
    limit: int = 25,
    cursor: str | None = None,
) -> ContactPage:
    """Contacts matching `q` (name, organisation, e-mail, phone in any format or its last
    4+ digits), A to Z; every contact (of the organisation) for an empty `q`; none for a
    `q` with nothing to search by (punctuation only)."""
    query = parse_query(q, region=region, organization_id=organization_id)
    if q.strip() and query.empty:
        return ContactPage(items=[], next_cursor=None)
    return await search_contacts(db=db, query=query, limit=limit, cursor=cursor)


async def delete_unused_contact(*, db: AsyncSession, contact_id: uuid.UUID) -> bool:
    """Delete a contact no ticket and no call points at (undoing its creation); whether it
    was deleted. One that is in use, or gone already, stays as it is."""
    in_use = (
        select(Ticket.id)
        .where(Ticket.contact_id == contact_id)
        .union_all(select(Interaction.id).where(Interaction.contact_id == contact_id))
    )
    result = await db.execute(
        delete(Contact)
        .where(Contact.id == contact_id, ~exists(in_use.subquery().select()))
        .returning(Contact.id)
    )
    return result.first() is not None
