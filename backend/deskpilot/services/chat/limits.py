"""Per-user limit on concurrent chat streams (per process). The messages-per-minute limit
is counted in PostgreSQL, so every process agrees, by the turn's opening statement
(chat/turn_store.py)."""

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from deskpilot.core.errors import RateLimited

_open_streams: Counter[uuid.UUID] = Counter()


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
