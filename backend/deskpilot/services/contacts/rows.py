"""Contacts as responses show them: one statement builds the rows of ContactPublic (with
the organisation and the count of open tickets), and refs are read through it too."""

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from deskpilot.core.db import Reader
from deskpilot.core.errors import NotFound
from deskpilot.models import Contact, Organization, Ticket
from deskpilot.schemas.contact import ContactPublic, ContactRef
from deskpilot.services.contacts.phones import display_phone

contacts = Contact.__table__
organizations = Organization.__table__
_tickets = Ticket.__table__

ACTIVE_STATUSES = ("open", "in_progress")
_OPEN_TICKETS = (
    select(func.count())
    .where(_tickets.c.contact_id == contacts.c.id, _tickets.c.status.in_(ACTIVE_STATUSES))
    .scalar_subquery()
)
_PUBLIC_COLUMNS: tuple[ColumnElement[Any], ...] = (
    contacts.c.id,
    contacts.c.number,
    contacts.c.name,
    contacts.c.email,
    contacts.c.phone,
    organizations.c.id.label("organization_id"),
    organizations.c.name.label("organization_name"),
    contacts.c.notes,
    contacts.c.created_at,
    contacts.c.updated_at,
    _OPEN_TICKETS.label("open_tickets"),
)
PUBLIC_WIDTH = len(_PUBLIC_COLUMNS)
WITH_ORGANIZATION = contacts.outerjoin(
    organizations, organizations.c.id == contacts.c.organization_id
)


def public_select(*extra: ColumnElement[Any]) -> Select[Any]:
    return select(*_PUBLIC_COLUMNS, *extra).select_from(WITH_ORGANIZATION)


def public_fields(row: Sequence[Any]) -> dict[str, Any]:
    """ContactPublic's fields from a row of public_select()."""
    (
        contact_id,
        number,
        name,
        email,
        phone,
        organization_id,
        organization_name,
        notes,
        created_at,
        updated_at,
        open_tickets,
    ) = row[:PUBLIC_WIDTH]
    return {
        "id": contact_id,
        "number": number,
        "name": name,
        "email": email,
        "phone": phone,
        "phone_display": display_phone(phone),
        "organization": None
        if organization_id is None
        else {"id": organization_id, "name": organization_name},
        "notes": notes,
        "open_tickets": open_tickets,
        "created_at": created_at,
        "updated_at": updated_at,
    }


_PUBLIC = TypeAdapter(ContactPublic)
_BY_ID = public_select().where(contacts.c.id == bindparam("id"))
_BY_NUMBER = public_select().where(contacts.c.number == bindparam("number"))
_REF = re.compile(r"^(?:c-?)?([0-9]{1,18})$", re.IGNORECASE)


def parse_contact_ref(ref: str | int | uuid.UUID) -> int | uuid.UUID:
    """A contact's number (12, "12", "C-12") or id; 404 for anything else."""
    if isinstance(ref, (int, uuid.UUID)):
        return ref
    text = ref.strip()
    if match := _REF.match(text):
        return int(match.group(1))
    try:
        return uuid.UUID(text)
    except ValueError:
        raise contact_not_found(ref) from None


def contact_not_found(ref: object) -> NotFound:
    shown = f"C-{ref}" if isinstance(ref, int) else str(ref)[:40]
    return NotFound(f"Contact {shown} not found")


async def public_row(*, db: Reader, ref: str | int | uuid.UUID) -> Sequence[Any]:
    parsed = parse_contact_ref(ref)
    if isinstance(parsed, int):
        result = await db.execute(_BY_NUMBER, {"number": parsed})
    else:
        result = await db.execute(_BY_ID, {"id": parsed})
    row: Sequence[Any] | None = result.one_or_none()
    if row is None:
        raise contact_not_found(parsed)
    return row


async def contact_public(*, db: Reader, ref: str | int | uuid.UUID) -> ContactPublic:
    return _PUBLIC.validate_python(public_fields(await public_row(db=db, ref=ref)))


def ref_fields(
    contact_id: uuid.UUID | None,
    number: int | None,
    name: str | None,
    organization: str | None,
    phone: str | None,
) -> dict[str, Any] | None:
    """ContactRef's fields (None without a contact): tickets' and calls' rows carry these."""
    if contact_id is None:
        return None
    return {
        "id": contact_id,
        "number": number,
        "name": name,
        "organization": organization,
        "phone": phone,
    }


_REFS = TypeAdapter(list[ContactRef])
_REFS_BY_ID = (
    select(
        contacts.c.id, contacts.c.number, contacts.c.name, organizations.c.name, contacts.c.phone
    )
    .select_from(WITH_ORGANIZATION)
    .where(contacts.c.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True)))))
)


async def contact_refs_by_id(
    *, db: Reader, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, ContactRef]:
    """ContactRefs of these contacts (those that exist), by id, in one query (none: none)."""
    wanted = list(dict.fromkeys(i for i in ids if i is not None))
    if not wanted:
        return {}
    rows = (await db.execute(_REFS_BY_ID, {"ids": wanted})).all()
    refs = _REFS.validate_python([ref_fields(*row) for row in rows])
    return {ref.id: ref for ref in refs}
