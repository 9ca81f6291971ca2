"""One reply at a time per chat session, across server processes: a PostgreSQL advisory lock
held on its own connection (outside any transaction) for the length of the turn."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.core.errors import Conflict


def _lock_key(session_id: uuid.UUID) -> int:
    return int.from_bytes(session_id.bytes[:8], "big", signed=True)


class SessionLock:
    def __init__(self, engine: AsyncEngine, session_id: uuid.UUID) -> None:
        self._engine = engine
        self._key = _lock_key(session_id)
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> None:
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(select(func.pg_try_advisory_lock(self._key)))
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            raise Conflict(
                "A reply is already being generated in this chat; wait for it or stop it"
            )
        self._connection = connection

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.scalar(select(func.pg_advisory_unlock(self._key)))
            await connection.commit()
        except BaseException:
            await connection.invalidate()  # the server drops the lock with the connection
            raise
        finally:
            await connection.close()
