import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response

from deskpilot.api.deps import ActorDep, CurrentUser, SessionDep, request_channel
from deskpilot.core.errors import ValidationFailed
from deskpilot.schemas.common import (
    QUERY_MAX,
    SIMILAR_DESCRIPTION_MAX,
    TITLE_MAX,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from deskpilot.schemas.ticket import (
    NoteCreate,
    NotePublic,
    SearchResults,
    SimilarTickets,
    TicketCreate,
    TicketDetail,
    TicketPage,
    TicketPublic,
    TicketUpdate,
)
from deskpilot.services import ticket_service
from deskpilot.services.tickets import queries
from deskpilot.services.tickets.detail import ticket_detail
from deskpilot.services.tickets.queries import TicketFilters, list_tickets
from deskpilot.services.tickets.search import search_hits
from deskpilot.services.tickets.similar import similar_tickets
from deskpilot.services.tickets.undo import mark_undoable, undo_event
from deskpilot.services.tickets.versions import check_version, etag

router = APIRouter(prefix="/tickets", tags=["tickets"])
_NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold U+0000


def _assignee_filter(value: str | None, me: uuid.UUID) -> TicketFilters:
    if value is None or value == "":
        return TicketFilters()
    if value == "none":
        return TicketFilters(unassigned=True)
    if value == "me":
        return TicketFilters(assignee_id=me)
    try:
        return TicketFilters(assignee_id=uuid.UUID(value))
    except ValueError:
        raise ValidationFailed.for_field("assignee", "expected a user id, 'me' or 'none'") from None


@router.get("", response_model=TicketPage)
async def list_(
    user: CurrentUser,
    db: SessionDep,
    status: TicketStatus | None = None,
    priority: TicketPriority | None = None,
    source: TicketSource | None = None,
    category: Annotated[str | None, Query(max_length=64, pattern=_NO_NUL)] = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    contact_id: Annotated[uuid.UUID | None, Query(description="The caller's tickets")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=32)] = None,
    with_total: Annotated[
        bool, Query(description="Also count the tickets the filters pick (first page only)")
    ] = False,
) -> TicketPage:
    assignee_filter = _assignee_filter(assignee, user.id)
    filters = TicketFilters(
        status=status,
        priority=priority,
        source=source,
        category=category,
        assignee_id=assignee_filter.assignee_id,
        unassigned=assignee_filter.unassigned,
        contact_id=contact_id,
    )
    return await list_tickets(
        db=db, filters=filters, limit=limit, cursor=cursor, with_total=with_total
    )


@router.get("/search", response_model=SearchResults)
async def search(
    _: CurrentUser,
    db: SessionDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    status: Literal["open", "in_progress", "resolved", "closed", "all"] = "all",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    return await search_hits(db=db, q=q, status=None if status == "all" else status, limit=limit)


@router.get("/similar", response_model=SimilarTickets)
async def similar(
    _: CurrentUser,
    db: SessionDep,
    title: Annotated[str, Query(max_length=TITLE_MAX, pattern=_NO_NUL)] = "",
    description: Annotated[str, Query(max_length=SIMILAR_DESCRIPTION_MAX, pattern=_NO_NUL)] = "",
    contact_id: Annotated[
        uuid.UUID | None, Query(description="The caller: their own tickets rank a little higher")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10)] = 5,
) -> SimilarTickets:
    """Open and in-progress tickets like a new one (a duplicate check), most alike first."""
    return await similar_tickets(
        db=db, title=title, description=description, limit=limit, contact_id=contact_id
    )


@router.post("", response_model=TicketPublic, status_code=201)
async def create(body: TicketCreate, actor: ActorDep, db: SessionDep) -> TicketPublic:
    ticket = await ticket_service.create_ticket(db=db, data=body, actor=actor)
    await db.commit()
    return await queries.present_ticket(db=db, ticket=ticket)


IfMatch = Annotated[
    str | None,
    Header(
        max_length=100,
        description="The ticket's updated_at as last read: 409 `stale` if it changed since",
    ),
]


@router.get("/{ref}", response_model=TicketDetail)
async def get(ref: str, user: CurrentUser, db: SessionDep, response: Response) -> TicketDetail:
    detail = await ticket_detail(db=db, ref=ref)
    response.headers["ETag"] = etag(detail.updated_at)
    return mark_undoable(detail, user)


@router.patch("/{ref}", response_model=TicketDetail)
async def update(
    ref: str,
    body: TicketUpdate,
    user: CurrentUser,
    actor: ActorDep,
    db: SessionDep,
    if_match: IfMatch = None,
) -> TicketDetail:
    ticket = await ticket_service.get_ticket(db=db, ref=ref, lock=True)
    await check_version(db, ticket, if_match)
    await ticket_service.update_ticket(db=db, ticket=ticket, changes=body, actor=actor)
    await db.commit()
    return mark_undoable(await ticket_detail(db=db, ref=ticket.id), user)


@router.post("/{ref}/notes", response_model=NotePublic, status_code=201)
async def add_note(
    ref: str, body: NoteCreate, actor: ActorDep, db: SessionDep, if_match: IfMatch = None
) -> NotePublic:
    ticket = await ticket_service.get_ticket(db=db, ref=ref, lock=True)
    await check_version(db, ticket, if_match)
    note = await ticket_service.add_note(db=db, ticket=ticket, body=body.body, actor=actor)
    await db.commit()
    return await queries.present_note(db=db, note=note)


@router.post("/{ref}/events/{event_id}/undo", response_model=TicketDetail)
async def undo(
    ref: str, event_id: uuid.UUID, request: Request, user: CurrentUser, db: SessionDep
) -> TicketDetail:
    """Undo the change an audit trail event records: an AI write as a whole, or a person's
    own field change or note. 409 names the field changed since, and by whom."""
    undone = await undo_event(
        db=db, user=user, ticket_ref=ref, event_id=event_id, channel=request_channel(request)
    )
    await db.commit()
    return mark_undoable(await ticket_detail(db=db, ref=undone.ticket_id), user)
