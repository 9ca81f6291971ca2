import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Computed, DateTime, Identity, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base, created_at_column, updated_at_column, uuid_pk, uuid_ref

SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(category, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="open")
    priority: Mapped[str] = mapped_column(Text, nullable=False, server_default="medium")
    category: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, nullable=False, server_default="call")
    chat_session_id: Mapped[uuid.UUID | None] = uuid_ref("chat_sessions.id", ondelete="SET NULL")
    created_by: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    assignee_id: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    contact_id: Mapped[uuid.UUID | None] = uuid_ref("contacts.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True), deferred=True
    )


class TicketHistoryRow:
    """What a note and an audit event both are: a row of one ticket's history, gone with the
    ticket."""

    id: Mapped[uuid.UUID] = uuid_pk()
    ticket_id: Mapped[uuid.UUID] = uuid_ref("tickets.id", ondelete="CASCADE")
    created_at: Mapped[datetime] = created_at_column()


class TicketNote(TicketHistoryRow, Base):
    __tablename__ = "ticket_notes"

    author_id: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # An undone AI note is kept, shown struck through: when and by whom it was retracted.
    retracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retracted_by: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")


class TicketEvent(TicketHistoryRow, Base):
    """The audit trail: one row per change (field), note, or creation."""

    __tablename__ = "ticket_events"

    actor_id: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    channel: Mapped[str] = mapped_column(Text, nullable=False)
    chat_session_id: Mapped[uuid.UUID | None] = uuid_ref("chat_sessions.id", ondelete="SET NULL")
    action: Mapped[str] = mapped_column(Text, nullable=False)
    field: Mapped[str | None] = mapped_column(Text)
    old_value: Mapped[Any] = mapped_column(JSONB)
    new_value: Mapped[Any] = mapped_column(JSONB)
    # The AI write (chat_proposals.id) this event is part of; undo reverts them together.
    write_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_by: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    # action 'reverted': the event it undoes
    reverts_id: Mapped[uuid.UUID | None] = uuid_ref("ticket_events.id", ondelete="SET NULL")
