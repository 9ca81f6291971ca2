import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base, created_at_column, uuid_pk, uuid_ref


class ChatProposal(Base):
    """A write the copilot proposed (state 'pending' until the agent decides) or made at
    once (recorded 'executed'). Its id is the write's id: the ticket events it wrote carry
    it (ticket_events.write_id), which is what undo reverts."""

    __tablename__ = "chat_proposals"

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = uuid_ref("chat_sessions.id", ondelete="CASCADE")
    # the assistant message whose tool call it is (set when that message is stored)
    message_id: Mapped[uuid.UUID | None] = uuid_ref("chat_messages.id", ondelete="SET NULL")
    tool_call_id: Mapped[str] = mapped_column(Text, nullable=False)
    tool: Mapped[str] = mapped_column(Text, nullable=False)
    arguments: Mapped[Any] = mapped_column(JSONB, nullable=False)
    edited_arguments: Mapped[Any] = mapped_column(JSONB)
    ticket_id: Mapped[uuid.UUID | None] = uuid_ref("tickets.id", ondelete="SET NULL")
    # {"fields": {field: value the agent saw}, "updated_at": iso}: a stale approval's check
    snapshot: Mapped[Any] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    # pending | executed | rejected | superseded | failed
    state: Mapped[str] = mapped_column(Text, nullable=False, server_default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    result: Mapped[Any] = mapped_column(JSONB)  # what the model was told
    summary: Mapped[str | None] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    decided_by: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Grouped intake writes (migration 0011): the group's first proposal, and the one whose
    # result this one needs (a new contact's or ticket's number).
    group_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    depends_on: Mapped[uuid.UUID | None] = uuid_ref("chat_proposals.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = created_at_column()
