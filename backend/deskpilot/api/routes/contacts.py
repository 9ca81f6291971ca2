"""Callers: /api/contacts (search, read, create, edit, merge)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from deskpilot.api.deps import ActorDep, AdminUser, CurrentUser, SessionDep, SettingsDep
from deskpilot.schemas.common import QUERY_MAX
from deskpilot.schemas.contact import (
    ContactCreate,
    ContactDetail,
    ContactMerge,
    ContactPage,
    ContactPublic,
    ContactUpdate,
)
from deskpilot.services import contact_service

router = APIRouter(prefix="/contacts", tags=["contacts"])
_NO_NUL = r"^[^\x00]*$"


@router.get("", response_model=ContactPage)
async def list_contacts(
    _: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=QUERY_MAX, pattern=_NO_NUL)] = "",
    organization_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> ContactPage:
    """Contacts A to Z; `q` matches name, organisation, e-mail, or a phone number in any
    common format or its last 4+ digits."""
    return await contact_service.find_contacts(
        db=db,
        q=q,
        region=settings.default_phone_region,
        organization_id=organization_id,
        limit=limit,
        cursor=cursor,
    )


@router.post("", response_model=ContactPublic, status_code=201)
async def create_contact(
    body: ContactCreate, _: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ContactPublic:
    contact = await contact_service.create_contact(
        db=db, data=body, region=settings.default_phone_region
    )
    await db.commit()
    return await contact_service.contact_public(db=db, ref=contact.id)


@router.get("/{ref}", response_model=ContactDetail)
async def get_contact(ref: str, _: CurrentUser, db: SessionDep) -> ContactDetail:
    """A contact (`ref`: its number or id) with its open and recent tickets and calls."""
    return await contact_service.contact_detail(db=db, ref=ref)


@router.patch("/{ref}", response_model=ContactPublic)
async def update_contact(
    ref: str, body: ContactUpdate, _: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ContactPublic:
    contact = await contact_service.get_contact(db=db, ref=ref, lock=True)
    await contact_service.update_contact(
        db=db, contact=contact, changes=body, region=settings.default_phone_region
    )
    await db.commit()
    return await contact_service.contact_public(db=db, ref=contact.id)


@router.post("/{ref}/merge", response_model=ContactDetail)
async def merge_contacts(
    ref: str, body: ContactMerge, _: AdminUser, actor: ActorDep, db: SessionDep
) -> ContactDetail:
    """Merge `duplicate_id` into this contact (admins): its tickets and calls move here,
    this contact's empty fields take its values, and it is deleted."""
    kept = await contact_service.get_contact(db=db, ref=ref)
    merged = await contact_service.merge_contacts(
        db=db, kept_id=kept.id, duplicate_id=body.duplicate_id, actor=actor
    )
    await db.commit()
    return await contact_service.contact_detail(db=db, ref=merged.kept.id)
