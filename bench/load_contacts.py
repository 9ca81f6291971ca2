"""Bulk-load callers into a migrated Deskpilot database that has tickets (load_tickets.py).

    uv run python -m bench.load_contacts --count 200000 --link-share 0.3 \
        --database-url postgresql://postgres@127.0.0.1:5432/deskpilot_contacts_bench

Organisations (one per 100 contacts) and contacts go in with binary COPY, the secondary
indexes of contacts dropped for the load and rebuilt after it. Names: a first name of the
demo pools and a surname built from syllables (~8,000 surnames, so a full name is shared
by a few dozen contacts, as in a real directory); phones unique North American numbers,
e-mails unique. Then `--link-share` of the tickets get a caller (repeat callers: a contact
has ~link-share x tickets / contacts tickets), one call each is logged for a tenth of
them, and the tables are analysed. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid

import asyncpg

from bench.common import plain_postgres_url, require_loopback
from bench.load_tickets import drop_secondary_indexes, rebuild_indexes
from deskpilot.demo import vocab

CONTACTS_PER_ORGANIZATION = 100
_SYLLABLES = (
    "ber", "kow", "lin", "mar", "nov", "ost", "per", "ros", "sch", "tan",
    "var", "wen", "dal", "fen", "gor", "hal",
)  # fmt: skip
_ENDINGS = ("ak", "er", "ez", "ova", "sen", "ini", "ski", "ton", "berg", "mann")
CONTACT_COLUMNS = ("id", "name", "email", "phone", "organization_id", "notes")


def surname(rng: random.Random) -> str:
    return (rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(_ENDINGS)).title()


def phone_of(index: int) -> str:
    """A unique, possible North American number per index (area codes 201-989)."""
    area = 201 + index % 789
    line = 2_000_000 + (index // 789) * 7
    return f"+1{area}{line:07d}"


async def load(args: argparse.Namespace) -> None:
    url = plain_postgres_url(args.database_url)
    require_loopback(url)
    rng = random.Random(args.seed)
    conn = await asyncpg.connect(url)
    await conn.execute("SET synchronous_commit = off")
    t0 = time.perf_counter()
    await conn.execute("UPDATE tickets SET contact_id = NULL WHERE contact_id IS NOT NULL")
    await conn.execute("TRUNCATE interactions, contact_merges")
    await conn.execute("DELETE FROM contacts")  # tickets refer to it: no TRUNCATE
    await conn.execute("DELETE FROM organizations")
    await conn.execute("ALTER TABLE contacts ALTER COLUMN number RESTART WITH 1")
    organizations = [
        (uuid.uuid4(), f"{surname(rng)} {rng.choice(('GmbH', 'Ltd', 'Inc', 'Group', 'AG'))} {i}")
        for i in range(max(1, args.count // CONTACTS_PER_ORGANIZATION))
    ]
    await conn.copy_records_to_table("organizations", records=organizations, columns=("id", "name"))
    ddls = await _drop_contact_indexes(conn)
    rows = []
    for i in range(args.count):
        first, last = rng.choice(vocab.FIRST_NAMES), surname(rng)
        organization = organizations[i % len(organizations)]
        rows.append(
            (
                uuid.uuid4(),
                f"{first} {last}",
                f"{first.lower()}.{last.lower()}.{i}@example.com",
                phone_of(i),
                organization[0],
                "",
            )
        )
    await conn.copy_records_to_table("contacts", records=rows, columns=CONTACT_COLUMNS)
    copy_s = time.perf_counter() - t0
    await rebuild_indexes(url, ddls, parallel=2)
    index_s = time.perf_counter() - t0 - copy_s
    linked = await conn.execute(
        """
        UPDATE tickets t SET contact_id = c.id
        FROM contacts c
        WHERE t.number % 1000 < $1
          AND c.number = 1 + (t.number * 7919) % (SELECT count(*) FROM contacts)
        """,
        int(args.link_share * 1000),
    )
    await conn.execute(
        """
        INSERT INTO interactions (contact_id, ticket_id, started_at, duration_seconds, summary)
        SELECT contact_id, id, created_at, 60 + number % 600, 'Reported: ' || title
        FROM tickets WHERE contact_id IS NOT NULL AND number % 10 = 0
        """
    )
    await conn.execute("VACUUM (ANALYZE) contacts")
    await conn.execute("VACUUM (ANALYZE) organizations")
    await conn.execute("VACUUM (ANALYZE) tickets")
    await conn.execute("VACUUM (ANALYZE) interactions")
    await conn.close()
    print(
        f"loaded {args.count:,} contacts in {len(organizations):,} organisations: COPY "
        f"{copy_s:.1f} s, indexes {index_s:.1f} s; tickets linked: {linked.split()[-1]}; "
        f"total {time.perf_counter() - t0:.1f} s"
    )


async def _drop_contact_indexes(conn: asyncpg.Connection) -> list[str]:
    return await drop_secondary_indexes(conn, tables=("contacts",))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--link-share", type=float, default=0.3, help="tickets with a caller")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(load(args))


if __name__ == "__main__":
    main()
