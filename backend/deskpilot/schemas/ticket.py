import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from deskpilot.schemas.common import (
    ASSIGNEE_MAX,
    CATEGORY_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    TITLE_MAX,
    Channel,
    ContactRef,
    PublicModel,
    StrictModel,
    TicketPriority,
    TicketSource,
    TicketStatus,
    UserRef,
)


class TicketCreate(StrictModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    priority: TicketPriority = "medium"
    category: str | None = Field(default=None, max_length=CATEGORY_MAX)
    status: TicketStatus = "open"
    assignee_id: uuid.UUID | None = None
    source: TicketSource = "call"
    contact_id: uuid.UUID | None = Field(default=None, description="The caller (a contact's id)")


class TicketUpdate(StrictModel):
    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    category: str | None = Field(default=None, max_length=CATEGORY_MAX)
    assignee_id: uuid.UUID | None = None
    assignee: str | None = Field(
        default=None,
        min_length=1,
        max_length=ASSIGNEE_MAX,
        description="Instead of assignee_id: an active user's name, first name, surname or "
        "e-mail, 'me', or 'none' to unassign",
    )
    notes: str | None = Field(default=None, min_length=1, max_length=NOTE_MAX)
    contact_id: uuid.UUID | None = Field(
        default=None, description="The caller (a contact's id); null detaches the caller"
    )


class NoteCreate(StrictModel):
    body: str = Field(min_length=1, max_length=NOTE_MAX)


class TicketSummary(PublicModel):
    id: uuid.UUID
    number: int
    title: str
    status: TicketStatus
    priority: TicketPriority
    category: str | None
    source: TicketSource
    assignee: UserRef | None = None
    contact: ContactRef | None = None
    created_at: datetime
    updated_at: datetime


class TicketPublic(TicketSummary):
    description: str
    created_by: UserRef | None = None
    chat_session_id: uuid.UUID | None


class NotePublic(PublicModel):
    id: uuid.UUID
    body: str
    author: UserRef | None = None
    created_at: datetime
    # an undone AI note: kept, shown struck through
    retracted_at: datetime | None = None
    retracted_by: UserRef | None = None


class TicketEventPublic(PublicModel):
    id: uuid.UUID
    action: Literal["created", "updated", "note_added", "reverted"]
    field: str | None
    old_value: Any = None
    new_value: Any = None
    actor: UserRef | None = None
    channel: Channel
    chat_session_id: uuid.UUID | None
    created_at: datetime
    write_id: uuid.UUID | None = None  # the AI write it belongs to (undone together)
    approved_by: UserRef | None = None  # who approved that AI write
    reverts_id: uuid.UUID | None = None  # 'reverted': the event it undoes
    reverted: bool = False  # undone since
    can_undo: bool = False  # the viewer may undo it now


class TicketDetail(TicketPublic):
    notes: list[NotePublic]
    events: list[TicketEventPublic]


class TicketPage(BaseModel):
    items: list[TicketSummary]
    next_cursor: str | None
    # On the first page: how many tickets meet the filters, counted up to a cap; beyond it
    # `total_capped` says "at least" (counting a million rows would slow every list)
    total: int | None = None
    total_capped: bool = False


class SearchHit(TicketSummary):
    snippet: str
    rank: float


class SearchResults(BaseModel):
    items: list[SearchHit]
    approximate: bool = Field(
        default=False,
        description="Some hits match the query's words only as respelt (typos, accents).",
    )
    did_you_mean: str | None = Field(
        default=None, description="The query as the approximate hits read it."
    )


class SimilarTicket(TicketSummary):
    score: float = Field(description="Likeness to the new ticket, 0 to 1.")
    matched_words: list[str] = Field(description="The new ticket's words this ticket contains.")


class SimilarTickets(BaseModel):
    items: list[SimilarTicket]
