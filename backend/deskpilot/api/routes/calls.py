"""Callers: /api/calls (the call log)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from deskpilot.api.deps import ActorDep, CurrentUser, SessionDep
from deskpilot.schemas.contact import CallCreate, CallPage, CallPublic
from deskpilot.services import contact_service

router = APIRouter(prefix="/calls", tags=["calls"])


@router.post("", response_model=CallPublic, status_code=201)
async def log_call(body: CallCreate, actor: ActorDep, db: SessionDep) -> CallPublic:
    """Log a call with a contact (and the ticket it was about), by the signed-in agent."""
    call = await contact_service.log_call(db=db, data=body, actor=actor)
    await db.commit()
    return await contact_service.call_public(db=db, call_id=call.id)


@router.get("", response_model=CallPage)
async def list_calls(
    _: CurrentUser,
    db: SessionDep,
    contact_id: uuid.UUID | None = None,
    ticket_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> CallPage:
    """Calls newest first: a contact's, a ticket's, or both filters at once."""
    return await contact_service.list_calls(
        db=db, contact_id=contact_id, ticket_id=ticket_id, limit=limit, cursor=cursor
    )
