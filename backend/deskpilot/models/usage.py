import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base


class TokenUsageDaily(Base):
    """Tokens the model spent per day (UTC), user and model: the ledger the admins' totals
    read. Replies keep their own counts (chat_messages.input_tokens, …), but a chat can be
    deleted; what it cost stays counted here."""

    __tablename__ = "token_usage_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(Text, primary_key=True)
    model: Mapped[str] = mapped_column(Text, primary_key=True)
    input_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    output_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    # assistant replies stored (any status); a title's tokens add to the day, not to replies
    replies: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
