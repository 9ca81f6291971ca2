"""A chat turn's lease on its chat (table chat_turn_leases): one reply at a time per chat
across processes, and the per-user limit on replies being generated, both in PostgreSQL.

The turn's opening statement takes the lease (chat_take_turn_lease(), chat/turn_sql.py).
From then on no connection is held: a task renews the lease every third of its lifetime
with one short statement, and the turn's end deletes it. A process that dies mid-turn
stops renewing; its leases expire and the chats are free again.
"""

import asyncio
import logging
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from deskpilot.core.raw_sql import fetch_on_own_connection, raw_statement

logger = logging.getLogger(__name__)

RENEW = raw_statement(
    text(
        """
    UPDATE chat_turn_leases
       SET expires_at = clock_timestamp() + make_interval(secs => :seconds)
     WHERE session_id = :session_id AND token = :token
    RETURNING session_id
    """
    )
)
RELEASE = raw_statement(
    text("DELETE FROM chat_turn_leases WHERE session_id = :session_id AND token = :token")
)

# Releases that outlive a cancelled turn (asyncio keeps only weak references to tasks).
_releasing: set[asyncio.Task[None]] = set()


class TurnLease:
    """A lease the opening statement took (under `token`): kept alive until release()."""

    def __init__(
        self, engine: AsyncEngine, session_id: uuid.UUID, token: uuid.UUID, seconds: float
    ) -> None:
        self._engine = engine
        self._params = {"session_id": session_id, "token": token}
        self._seconds = seconds
        self._renewing: asyncio.Task[None] | None = None
        self._released = False

    def keep(self) -> None:
        """Renew it in the background from now on."""
        if self._renewing is None and not self._released:
            self._renewing = asyncio.create_task(self._renew_forever())

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self._seconds / 3)
            try:
                rows = await fetch_on_own_connection(
                    self._engine, RENEW, {**self._params, "seconds": self._seconds}
                )
            except Exception:
                # The database is unreachable: try again next time, while the lease lasts.
                logger.warning("Could not renew a chat turn's lease", exc_info=True)
                continue
            if not rows:
                logger.warning("A chat turn's lease expired before it was renewed")
                return

    async def release(self) -> None:
        """Stop renewing and delete the lease; idempotent. A cancel while deleting does
        not stop the delete (the chat would stay taken until the lease expired)."""
        if self._released:
            return
        self._released = True
        if self._renewing is not None:
            self._renewing.cancel()
        deleting = asyncio.create_task(self._delete())
        _releasing.add(deleting)
        deleting.add_done_callback(_releasing.discard)
        await asyncio.shield(deleting)

    async def _delete(self) -> None:
        try:
            await fetch_on_own_connection(self._engine, RELEASE, self._params)
        except Exception:
            logger.warning("Could not release a chat turn's lease; it expires on its own")
