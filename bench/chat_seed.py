"""Bulk-insert chat history for the chat benchmark (binary COPY, no HTTP).

- `seed_sessions`: many sessions for one user, each with a few messages (so every list
  row has a preview), activity spread over the past year.
- `seed_long_session`: one session with a long, realistic history: user messages, assistant
  replies that mention tickets as #N with `ticket_refs`, most with stored tool calls in the
  exact shape `ChatLLMService` writes (including the full tool result the model saw, e.g.
  ten search hits with 300-character descriptions), and a few attach notices.

Rows reference real tickets (`sample_tickets`), so ticket cards resolve like in production.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

SESSION_COLUMNS = (
    "id", "user_id", "title", "title_source", "attached_ticket_ids", "created_at", "updated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "session_id", "role", "content", "ticket_refs", "tool_calls", "status",
    "client_message_id", "reply_to_id", "created_at",
)  # fmt: skip

TOPICS = [
    ("printer", "the printer on the 3rd floor drops jobs after the driver update"),
    ("vpn", "the VPN disconnects every few minutes when working from home"),
    ("password", "a customer cannot reset the password, the reset mail never arrives"),
    ("outlook", "Outlook keeps asking for the password after the migration"),
    ("berlin", "the Berlin office reports slow network since Monday"),
    ("laptop", "a new laptop for the onboarding next week is not set up yet"),
    ("invoice", "the customer was charged twice on the last invoice"),
]
USER_LINES = [
    "find open tickets about {topic}",
    "what's the status of #{n}?",
    "mark #{n} as in progress",
    "add a note to {n}: customer called back, {detail}",
    "summarise the attached tickets",
    "which of them are urgent?",
    "create a ticket: {detail}, it's urgent",
    "any other reports like #{n} this week?",
    "close {n}, the customer confirmed it works again",
]


@dataclass(frozen=True)
class TicketRow:
    id: uuid.UUID
    number: int
    title: str
    status: str
    priority: str
    category: str | None
    source: str
    description: str
    assignee: str | None
    created_at: datetime
    updated_at: datetime

    def for_model(self, description_chars: int = 300) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "category": self.category,
            "source": self.source,
            "assignee": self.assignee,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "description": self.description[:description_chars],
        }


async def sample_tickets(conn: asyncpg.Connection, count: int) -> list[TicketRow]:
    rows = await conn.fetch(
        """
        SELECT t.id, t.number, t.title, t.status, t.priority, t.category, t.source,
               t.description, u.name AS assignee, t.created_at, t.updated_at
        FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id
        ORDER BY random() LIMIT $1
        """,
        count,
    )
    if not rows:
        raise SystemExit("no tickets to reference: load tickets first")
    return [TicketRow(**dict(r)) for r in rows]


def _tool_record(rng: random.Random, tickets: list[TicketRow], topic: str) -> dict[str, Any]:
    """One stored tool call, as ToolCallRun.record() writes it."""
    kind = rng.choices(["search_tickets", "get_ticket", "update_ticket"], [6, 3, 1])[0]
    call_id = f"call_{uuid.UUID(int=rng.getrandbits(128)).hex[:24]}"
    if kind == "search_tickets":
        hits = rng.sample(tickets, rng.randint(3, 10))
        arguments: dict[str, Any] = {"query": topic, "status": "open", "limit": 10}
        result: dict[str, Any] = {
            "tickets": [t.for_model() for t in hits],
            "total": len(hits),
            "query": topic,
            "status": "open",
        }
        summary = f"Found {len(hits)} tickets for '{topic}'"
    elif kind == "get_ticket":
        hits = [rng.choice(tickets)]
        arguments = {"ticket_id": hits[0].number}
        data = hits[0].for_model(2000)
        data["notes"] = [
            {
                "body": f"Called the customer, {rng.choice(TOPICS)[1]}.",
                "created_at": data["updated_at"],
            }
            for _ in range(rng.randint(0, 4))
        ]
        result = {"ticket": data}
        summary = f"Read ticket #{hits[0].number}"
    else:
        hits = [rng.choice(tickets)]
        arguments = {"ticket_id": hits[0].number, "status": "in_progress"}
        result = {
            "ticket": hits[0].for_model(2000),
            "changes": [{"field": "status", "old": hits[0].status, "new": "in_progress"}],
            "note_added": False,
        }
        summary = f"Updated ticket #{hits[0].number} (status {hits[0].status} → in_progress)"
    return {
        "id": call_id,
        "round": 0,
        "name": kind,
        "arguments": arguments,
        "raw_arguments": json.dumps(arguments),
        "status": "ok",
        "summary": summary,
        "duration_ms": rng.randint(2, 40),
        "ticket_ids": [str(t.id) for t in hits],
        "mutated": [str(hits[0].id)] if kind == "update_ticket" else [],
        "result": result,
    }


def _assistant_text(rng: random.Random, refs: list[TicketRow], detail: str) -> str:
    parts = [
        f"#{t.number} ({t.title[:50]}) is {t.status.replace('_', ' ')}, priority {t.priority}."
        for t in refs
    ]
    tail = rng.choice(
        [
            f" It looks like {detail}; the usual fix is to restart the service and check the logs.",
            " Shall I add a note or change the status of one of them?",
            f" Both reports mention that {detail}. I would start with the most recent one.",
            "",
        ]
    )
    return " ".join(parts) + tail


def _exchange(
    rng: random.Random,
    tickets: list[TicketRow],
    session_id: uuid.UUID,
    at: datetime,
    *,
    tool_share: float,
) -> list[tuple[object, ...]]:
    """A user message and the assistant reply to it (two COPY rows)."""
    topic, detail = rng.choice(TOPICS)
    named = rng.choice(tickets)
    user_text = rng.choice(USER_LINES).format(topic=topic, n=named.number, detail=detail)
    user_id = uuid.UUID(int=rng.getrandbits(128))
    records = []
    if rng.random() < tool_share:
        records.append(_tool_record(rng, tickets, topic))
        if rng.random() < 0.2:
            records.append(_tool_record(rng, tickets, topic))
    touched = dict.fromkeys(t for r in records for t in r["ticket_ids"])
    by_id = {str(t.id): t for t in tickets}
    pool = [by_id[t] for t in touched] or [named]
    refs = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
    reply = _assistant_text(rng, refs, detail)
    user_row = (
        user_id, session_id, "user", user_text, [], None, "complete",
        str(uuid.UUID(int=rng.getrandbits(128))), None, at,
    )  # fmt: skip
    reply_row = (
        uuid.UUID(int=rng.getrandbits(128)), session_id, "assistant", reply,
        [t.id for t in refs], json.dumps(records) if records else None, "complete",
        None, user_id, at + timedelta(seconds=rng.uniform(1, 20)),
    )  # fmt: skip
    return [user_row, reply_row]


def _notice(
    rng: random.Random, tickets: list[TicketRow], session_id: uuid.UUID, at: datetime
) -> tuple[object, ...]:
    added = rng.sample(tickets, rng.randint(1, 2))
    content = "Attached " + ", ".join(f"#{t.number} ({t.title[:60]})" for t in added) + "."
    return (
        uuid.UUID(int=rng.getrandbits(128)), session_id, "system", content,
        [t.id for t in added], None, "complete", None, None, at,
    )  # fmt: skip


async def seed_sessions(
    conn: asyncpg.Connection,
    *,
    user_id: uuid.UUID,
    tickets: list[TicketRow],
    count: int,
    seed: int = 7,
) -> None:
    """`count` sessions, each with 1-3 exchanges (2-6 messages), over the past year."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    sessions: list[tuple[object, ...]] = []
    messages: list[tuple[object, ...]] = []
    for _ in range(count):
        session_id = uuid.UUID(int=rng.getrandbits(128))
        updated = now - timedelta(seconds=rng.uniform(3600, 365 * 86400))
        created = updated - timedelta(seconds=rng.uniform(60, 3 * 86400))
        exchanges = rng.randint(1, 3)
        step = (updated - created) / exchanges
        for i in range(exchanges):
            messages += _exchange(rng, tickets, session_id, created + step * i, tool_share=0.6)
        attached = [t.id for t in rng.sample(tickets, rng.choice([0, 0, 0, 1, 2, 3]))]
        _, detail = rng.choice(TOPICS)
        sessions.append((session_id, user_id, detail[:60], "generated", attached, created, updated))
    await conn.copy_records_to_table("chat_sessions", records=sessions, columns=SESSION_COLUMNS)
    await conn.copy_records_to_table("chat_messages", records=messages, columns=MESSAGE_COLUMNS)


async def seed_long_session(
    conn: asyncpg.Connection,
    *,
    user_id: uuid.UUID,
    tickets: list[TicketRow],
    messages: int,
    seed: int = 11,
) -> uuid.UUID:
    """One session of about `messages` messages (1% attach notices), the newest activity."""
    rng = random.Random(seed)
    session_id = uuid.UUID(int=rng.getrandbits(128))
    now = datetime.now(UTC)
    created = now - timedelta(days=60)
    step = (now - timedelta(minutes=30) - created) / messages
    rows: list[tuple[object, ...]] = []
    while len(rows) < messages:
        at = created + step * len(rows)
        if rng.random() < 0.01:
            rows.append(_notice(rng, tickets, session_id, at))
        else:
            rows += _exchange(rng, tickets, session_id, at, tool_share=0.7)
    rows = rows[:messages]
    attached = [t.id for t in rng.sample(tickets, 3)]
    await conn.copy_records_to_table(
        "chat_sessions",
        records=[(session_id, user_id, "Printer outages week 12", "user", attached, created, now)],
        columns=SESSION_COLUMNS,
    )
    await conn.copy_records_to_table("chat_messages", records=rows, columns=MESSAGE_COLUMNS)
    return session_id
