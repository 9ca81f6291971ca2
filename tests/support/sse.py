"""Reading Server-Sent Events from an httpx streaming response.

    async with client.stream("POST", url, json=..., headers=SSE) as response:
        events = await read_events(response)          # [(event, data), ...]

`iter_events` yields them one at a time, so a test can stop reading (and close the
response) in the middle of a stream. `only(events, name)` is the data of the one event
of that name.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

SSE = {"Accept": "text/event-stream"}

Event = tuple[str, dict[str, Any]]


async def iter_events(response: httpx.Response) -> AsyncIterator[Event]:
    """Parse `event:` / `data:` blocks; `data` is decoded as JSON. Comments are skipped."""
    name = "message"
    data: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if data:
                yield name, json.loads("\n".join(data))
            name, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].removeprefix(" "))
    if data:
        yield name, json.loads("\n".join(data))


async def read_events(response: httpx.Response) -> list[Event]:
    return [event async for event in iter_events(response)]


def names(events: list[Event]) -> list[str]:
    return [name for name, _ in events]


def only(events: list[Event], name: str) -> dict[str, Any]:
    """The data of the single `name` event (fails, listing the events, unless exactly one)."""
    found = [data for event, data in events if event == name]
    assert len(found) == 1, (name, names(events))
    return found[0]
