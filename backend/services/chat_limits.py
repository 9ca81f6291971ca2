"""Per-user limits on chat: messages per minute (in PostgreSQL, so every process agrees),
and concurrent streams (per process)."""

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import RateLimited
from backend.models import ChatMessage, ChatSession

_open_streams: Counter[uuid.UUID] = Counter()


async def check_message_rate(*, db: AsyncSession, user_id: uuid.UUID, per_minute: int) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    sent = await db.scalar(
        select(func.count())
        .select_from(ChatMessage)
        .join(ChatSession, ChatSession.id == ChatMessage.session_id)
        .where(
            ChatSession.user_id == user_id,
            ChatMessage.role == "user",
            ChatMessage.created_at > since,
        )
    )
    if (sent or 0) >= per_minute:
        raise RateLimited(
            f"You can send {per_minute} messages a minute; wait a moment", retry_after=20
        )


@contextmanager
def stream_slot(user_id: uuid.UUID, limit: int) -> Iterator[None]:
    if _open_streams[user_id] >= limit:
        raise RateLimited(f"At most {limit} replies can be generated at once", retry_after=5)
    _open_streams[user_id] += 1
    try:
        yield
    finally:
        _open_streams[user_id] -= 1
        if _open_streams[user_id] <= 0:
            del _open_streams[user_id]
