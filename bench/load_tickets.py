"""Bulk-load generated phone-call tickets (and their notes) into a migrated Deskpilot database.

    uv run python -m bench.load_tickets --count 1000000 --truncate \
        --database-url postgresql://postgres@127.0.0.1:5432/deskpilot_bench

Rows come from `deskpilot.demo.corpus.generate_tickets` (oldest first, so ticket numbers
ascend with created_at). Batches go in with binary COPY while the next batch is built in a
thread. Secondary indexes on tickets/ticket_notes (the GIN search index among them) are
dropped for the load and rebuilt afterwards; constraint indexes (primary keys, unique
number) stay. The trigger that keeps search_terms (migration 0005) is off during the load,
and the words go in in one pass after it. Then VACUUM ANALYZE. Prints rows/s per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

import asyncpg

from bench.common import plain_postgres_url, require_loopback
from deskpilot.demo.corpus import TicketSeed, generate_tickets
from deskpilot.services.tickets.spelling import COLLECT_ALL_TERMS, TERMS_TRIGGER

TICKET_COLUMNS = (
    "id", "title", "description", "status", "priority", "category",
    "created_by", "assignee_id", "created_at", "updated_at", "source",
)  # fmt: skip
NOTE_COLUMNS = ("ticket_id", "author_id", "body", "created_at")
AGENT_COUNT = 25
UNUSABLE_PASSWORD_HASH = "!bench-loader-no-login"

_SECONDARY_INDEXES = """
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS ddl
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY($1::text[]) AND t.relnamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


@dataclass
class Batch:
    tickets: list[tuple[object, ...]]
    notes: list[tuple[object, ...]]


async def ensure_agents(conn: asyncpg.Connection) -> list[uuid.UUID]:
    """Users that own and work the loaded tickets (they cannot log in)."""
    emails = [f"agent{i:02d}@bench.deskpilot.invalid" for i in range(AGENT_COUNT)]
    have = {
        r["email"]: r["id"]
        for r in await conn.fetch("SELECT id, email FROM users WHERE email = ANY($1)", emails)
    }
    for i, email in enumerate(emails):
        if email not in have:
            have[email] = await conn.fetchval(
                "INSERT INTO users (email, name, password_hash, role) "
                "VALUES ($1, $2, $3, 'agent') RETURNING id",
                email,
                f"Bench Agent {i:02d}",
                UNUSABLE_PASSWORD_HASH,
            )
    return [have[e] for e in emails]


def build_batch(
    source: Iterator[TicketSeed],
    size: int,
    agents: list[uuid.UUID],
    now: datetime,
    rng: random.Random,
) -> Batch:
    """Next `size` tickets from `source` as COPY records (runs in a worker thread)."""
    tickets: list[tuple[object, ...]] = []
    notes: list[tuple[object, ...]] = []
    n_agents = len(agents)
    for s in islice(source, size):
        ticket_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        created = now - timedelta(minutes=s.age_minutes, seconds=rng.randrange(60))
        bits = rng.getrandbits(32)
        creator = agents[bits % n_agents]
        unassigned = s.status == "open" and bits & 0x300 == 0  # a quarter of open tickets
        assignee = None if unassigned else agents[(bits >> 10) % n_agents]
        touched = (
            created + timedelta(minutes=(bits >> 16) % 4000) if s.status != "open" else created
        )
        updated = min(touched, now)
        tickets.append(
            (ticket_id, s.title, s.description, s.status, s.priority, s.category,
             creator, assignee, created, updated, "call")
        )  # fmt: skip
        for k, body in enumerate(s.notes, start=1):
            at = min(created + timedelta(minutes=37 * k), now)
            notes.append((ticket_id, agents[(bits >> (k * 4)) % n_agents], body, at))
    return Batch(tickets, notes)


async def drop_secondary_indexes(
    conn: asyncpg.Connection, tables: tuple[str, ...] = ("tickets", "ticket_notes")
) -> list[str]:
    rows = await conn.fetch(_SECONDARY_INDEXES, list(tables))
    for r in rows:
        await conn.execute(f'DROP INDEX "{r["name"]}"')
    return [r["ddl"] for r in rows]


async def rebuild_indexes(url: str, ddls: list[str], parallel: int) -> None:
    """Rebuild dropped indexes, the slow GIN one on its own connection alongside the rest."""
    queue = sorted(ddls, key=lambda d: "gin" not in d.lower())  # GIN first

    async def worker() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("SET maintenance_work_mem = '1GB'")
            while queue:
                await conn.execute(queue.pop(0))
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(max(1, parallel))))


async def copy_all(
    conn: asyncpg.Connection, args: argparse.Namespace, agents: list[uuid.UUID], t_copy: float
) -> tuple[int, int]:
    """COPY every batch; the next batch is built in a thread while the server ingests one."""
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    seeds = generate_tickets(args.count, seed=args.seed)
    next_batch = asyncio.create_task(
        asyncio.to_thread(build_batch, seeds, args.batch, agents, now, rng)
    )
    n_tickets = n_notes = 0
    while True:
        batch = await next_batch
        if not batch.tickets:
            return n_tickets, n_notes
        next_batch = asyncio.create_task(
            asyncio.to_thread(build_batch, seeds, args.batch, agents, now, rng)
        )
        await conn.copy_records_to_table("tickets", records=batch.tickets, columns=TICKET_COLUMNS)
        if args.notes and batch.notes:
            await conn.copy_records_to_table(
                "ticket_notes", records=batch.notes, columns=NOTE_COLUMNS
            )
            n_notes += len(batch.notes)
        n_tickets += len(batch.tickets)
        rate = n_tickets / (time.perf_counter() - t_copy)
        print(f"  {n_tickets:>9,} tickets  {n_notes:>9,} notes  {rate:,.0f} tickets/s", flush=True)


async def load(args: argparse.Namespace) -> None:
    url = plain_postgres_url(args.database_url)
    require_loopback(url)
    conn = await asyncpg.connect(url)
    await conn.execute("SET synchronous_commit = off")
    t0 = time.perf_counter()
    if args.truncate:
        await conn.execute("TRUNCATE tickets, search_terms RESTART IDENTITY CASCADE")
    agents = await ensure_agents(conn)
    ddls = [] if args.keep_indexes else await drop_secondary_indexes(conn)
    print(f"dropped {len(ddls)} secondary indexes for the load")
    # The words go into search_terms in one pass afterwards, not row by row in the trigger.
    await conn.execute(f"ALTER TABLE tickets DISABLE TRIGGER {TERMS_TRIGGER}")

    t_copy = time.perf_counter()
    try:
        n_tickets, n_notes = await copy_all(conn, args, agents, t_copy)
    finally:  # never leave the database without its indexes, even after a failed load
        copy_s = time.perf_counter() - t_copy
        t_index = time.perf_counter()
        await conn.execute(f"ALTER TABLE tickets ENABLE TRIGGER {TERMS_TRIGGER}")
        await rebuild_indexes(url, ddls, args.index_workers)
        index_s = time.perf_counter() - t_index
    t_terms = time.perf_counter()
    await conn.execute(COLLECT_ALL_TERMS)
    terms_s = time.perf_counter() - t_terms
    t_vacuum = time.perf_counter()
    await conn.execute("VACUUM (ANALYZE) tickets")
    await conn.execute("VACUUM (ANALYZE) ticket_notes")
    await conn.execute("VACUUM (ANALYZE) search_terms")
    vacuum_s = time.perf_counter() - t_vacuum
    size = await conn.fetchval("SELECT pg_size_pretty(pg_total_relation_size('tickets'))")
    await conn.close()
    total_s = time.perf_counter() - t0
    print(
        f"loaded {n_tickets:,} tickets and {n_notes:,} notes in {total_s:.1f} s "
        f"({n_tickets / total_s:,.0f} tickets/s overall): COPY {copy_s:.1f} s "
        f"({n_tickets / max(copy_s, 1e-9):,.0f} tickets/s), indexes {index_s:.1f} s, "
        f"search terms {terms_s:.1f} s, vacuum analyze {vacuum_s:.1f} s; "
        f"tickets table + indexes {size}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50_000, help="rows per COPY")
    parser.add_argument("--truncate", action="store_true", help="empty tickets first")
    parser.add_argument("--no-notes", dest="notes", action="store_false")
    parser.add_argument("--keep-indexes", action="store_true", help="load with indexes in place")
    parser.add_argument("--index-workers", type=int, default=2)
    asyncio.run(load(parser.parse_args()))


if __name__ == "__main__":
    main()
