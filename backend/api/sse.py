"""Server-Sent Events helpers: keep a silent stream alive through proxies."""

import asyncio
from collections.abc import AsyncIterator

# Proxies close a response that sends nothing for a while (nginx: 60 s by default), and a
# model may think for longer than that before its first word.
PING_INTERVAL_SECONDS = 15.0
PING = b": ping\n\n"  # an SSE comment: clients ignore it


async def with_pings(chunks: AsyncIterator[bytes], interval: float) -> AsyncIterator[bytes]:
    """The chunks as they come, and a PING whenever `interval` seconds pass without one."""
    pending: asyncio.Future[bytes] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(chunks))
            # wait() rather than wait_for(): a timeout must not cancel the pending read.
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield PING
                continue
            try:
                chunk = pending.result()
            except StopAsyncIteration:
                return
            pending = None
            yield chunk
    finally:
        # No await here: this may run while the response is being cancelled. Cancelling the
        # read ends the source generator where it waits (its own cleanup runs).
        if pending is not None:
            pending.cancel()
