"""The chats' turn leases (chat_turn_leases) as the tests hold and read them: straight in
the database, as another server process's turn would."""

import contextlib
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy import text as sql

from deskpilot.core.db import session_factory
from deskpilot.models import ChatTurnLease
from tests.chat.reads import fetch_all


async def hold_lease(session_id: str, *, seconds: float) -> uuid.UUID:
    """A lease on the chat under a new token, expiring in `seconds` (negative: expired
    already, as a crashed process leaves it)."""
    token = uuid.uuid4()
    async with session_factory()() as db:
        await db.execute(
            sql(
                "INSERT INTO chat_turn_leases (session_id, user_id, token, expires_at) "
                "SELECT id, user_id, :token, now() + make_interval(secs => :seconds) "
                "FROM chat_sessions WHERE id = :session_id"
            ),
            {"token": token, "seconds": seconds, "session_id": uuid.UUID(session_id)},
        )
        await db.commit()
    return token


async def drop_lease(token: uuid.UUID) -> None:
    async with session_factory()() as db:
        await db.execute(sql("DELETE FROM chat_turn_leases WHERE token = :token"), {"token": token})
        await db.commit()


@contextlib.asynccontextmanager
async def chat_taken(session_id: str) -> AsyncIterator[None]:
    """The chat held by another turn (as another process's would be) for the block."""
    token = await hold_lease(session_id, seconds=600)
    try:
        yield
    finally:
        await drop_lease(token)


async def leases() -> list[ChatTurnLease]:
    return await fetch_all(select(ChatTurnLease).order_by(ChatTurnLease.taken_at))
