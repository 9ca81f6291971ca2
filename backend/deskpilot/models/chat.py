import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base, created_at_column, updated_at_column, uuid_pk, uuid_ref


class ChatSession(Base):
    __tablename__ = "chat_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_ref("users.id", ondelete="CASCADE")
    title: Mapped[str | None] = mapped_column(Text)
    # 'derived' (from the first message), 'generated' (by the model) or 'user' (renamed)
    title_source: Mapped[str | None] = mapped_column(Text)
    attached_ticket_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class ChatMessage(Base):
    __tablename__ = "chat_messages"

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = uuid_ref("chat_sessions.id", ondelete="CASCADE")
    # insertion order within a session; created_at ties inside one transaction
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), nullable=False)
    role: Mapped[str] = mapped_column(Text, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    ticket_refs: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")
    )
    tool_calls: Mapped[Any] = mapped_column(JSONB)
    # 'complete' | 'incomplete' (client went away) | 'failed' (provider error) | 'pending'
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="complete")
    error: Mapped[Any] = mapped_column(JSONB)
    client_message_id: Mapped[str | None] = mapped_column(Text)
    # assistant replies point at the user message they answer
    reply_to_id: Mapped[uuid.UUID | None] = uuid_ref("chat_messages.id", ondelete="CASCADE")
    # assistant replies: the model that wrote it and the tokens its calls (and the chat's
    # title, for the first reply) took, as the provider reported them; NULL: none reported
    model: Mapped[str | None] = mapped_column(Text)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()
    # regenerated or edited and resent: kept and listed, left out of the model's history
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
