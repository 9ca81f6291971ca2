import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base, uuid_ref


class ChatTurnLease(Base):
    """A chat's reply being generated: the turn holding it (token), renewed while it runs
    (services/chat/lease.py). Past expires_at the chat is free: its process died."""

    __tablename__ = "chat_turn_leases"

    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("chat_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    )
    user_id: Mapped[uuid.UUID] = uuid_ref("users.id", ondelete="CASCADE")
    token: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    taken_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
