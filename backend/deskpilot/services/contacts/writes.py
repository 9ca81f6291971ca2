"""Creating and editing contacts: phone and e-mail checked and normalised, duplicates
refused with 409 naming the field and the contact that already has it."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Conflict, ValidationFailed
from deskpilot.models import Contact
from deskpilot.schemas.contact import ContactCreate, ContactUpdate
from deskpilot.services.contacts.emails import normalize_email
from deskpilot.services.contacts.organizations import organization_named
from deskpilot.services.contacts.phones import display_phone, normalize_phone
from deskpilot.services.contacts.rows import contact_refs_by_id

_FIELD_LABELS = {"phone": "phone number", "email": "e-mail address"}


async def _refuse_taken(
    db: AsyncSession, field: str, value: str, *, other_than: uuid.UUID | None
) -> None:
    column = Contact.phone if field == "phone" else func.lower(Contact.email)
    wanted = value if field == "phone" else value.lower()
    statement = select(Contact.id).where(column == wanted)
    if other_than is not None:
        statement = statement.where(Contact.id != other_than)
    holder = await db.scalar(statement.limit(1))
    if holder is None:
        return
    ref = (await contact_refs_by_id(db=db, ids=[holder]))[holder]
    shown = display_phone(value) if field == "phone" else value
    message = f"{shown} is already the {_FIELD_LABELS[field]} of C-{ref.number} {ref.name}"
    raise Conflict(
        message,
        details=[{"field": field, "message": message}],
        extra={"contact": ref.model_dump(mode="json")},
    )


async def _checked(
    db: AsyncSession, values: dict[str, Any], region: str, contact_id: uuid.UUID | None
) -> dict[str, Any]:
    """`values` (name, phone, email, organization, notes: those given) as stored."""
    checked: dict[str, Any] = {}
    if "name" in values:
        name = " ".join((values["name"] or "").split())
        if not name:
            raise ValidationFailed.for_field("name", "may not be empty")
        checked["name"] = name
    if "phone" in values:
        raw = (values["phone"] or "").strip()
        checked["phone"] = normalize_phone(raw, region=region) if raw else None
    if "email" in values:
        raw = (values["email"] or "").strip()
        checked["email"] = normalize_email(raw) if raw else None
    for field in ("phone", "email"):
        if checked.get(field):
            await _refuse_taken(db, field, checked[field], other_than=contact_id)
    if "organization" in values:
        organization = await organization_named(db=db, name=values["organization"])
        checked["organization_id"] = organization.id if organization else None
    if "notes" in values:
        checked["notes"] = values["notes"] or ""
    return checked


async def _flush(db: AsyncSession) -> None:
    try:
        await db.flush()
    except IntegrityError as error:  # a contact written meanwhile took the phone or e-mail
        field = "phone" if "phone" in str(error.orig) else "email"
        raise Conflict(
            f"This {_FIELD_LABELS[field]} was just given to another contact",
            details=[{"field": field, "message": "already taken"}],
        ) from None


async def create_contact(*, db: AsyncSession, data: ContactCreate, region: str) -> Contact:
    values = await _checked(db, data.model_dump(), region, None)
    contact = Contact(**values)
    db.add(contact)
    await _flush(db)
    await db.refresh(contact)
    return contact


async def update_contact(
    *, db: AsyncSession, contact: Contact, changes: ContactUpdate, region: str
) -> list[str]:
    """Apply the fields that differ; the names of those changed."""
    requested = changes.model_dump(exclude_unset=True)
    if "name" in requested and requested["name"] is None:
        raise ValidationFailed.for_field("name", "may not be null")
    values = await _checked(db, requested, region, contact.id)
    changed = [field for field, value in values.items() if getattr(contact, field) != value]
    for field in changed:
        setattr(contact, field, values[field])
    if changed:
        contact.updated_at = func.now()
        await _flush(db)
        await db.refresh(contact)
    return changed
