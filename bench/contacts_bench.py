"""Callers benchmark (issue 15): contact lookup by phone and by name, and the duplicate
check with a caller, over HTTP with N concurrent clients, on a desk of 1,000,000 tickets
and 200,000 contacts (p50/p95/p99 per query kind).

    uv run python -m bench.contacts_bench                       # the full scale
    uv run python -m bench.contacts_bench --tickets 100000 --contacts 20000 --requests 300

Steps: the bench database (created unless it exists; `--recreate` drops it first),
migrations, tickets (bench.load_tickets) and contacts (bench.load_contacts) loaded when
fewer than asked are there, a bench user, then `deskpilot serve` on 127.0.0.1 with
`--workers`, and the measurement (bench.http_bench's closed-loop raw clients). Targets:
lookups p95 ≤ 15 ms, similar p95 ≤ 50 ms. Bounded (requests x kinds), 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import asyncpg
import httpx

from bench.common import (
    ensure_database,
    machine_description,
    plain_postgres_url,
    require_loopback,
    run_async,
)
from bench.http_bench import Kind, RawConnection, Result, markdown_table, run_kind, wait_until_quiet
from bench.load_contacts import phone_of
from deskpilot.demo import vocab

EMAIL = "bench@example.com"
PASSWORD = "bench-password-1"
_JAM_TITLE = quote("HP LaserJet printer shows paper jam")
_JAM_TEXT = quote(
    "Caller from Berlin says the paper is stuck in tray 2 again after the toner change"
)


def _deskpilot() -> str:
    return str(Path(sys.prefix) / "bin" / "deskpilot")


def _run(*args: str, env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=True)


async def _count(url: str, table: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))  # a fixed table name
    finally:
        await conn.close()


async def _samples(url: str) -> tuple[int, list[str], list[str]]:
    """The contact count, ids of contacts with tickets, and names that exist."""
    conn = await asyncpg.connect(url)
    try:
        count = int(await conn.fetchval("SELECT count(*) FROM contacts"))
        callers = await conn.fetch(
            "SELECT DISTINCT contact_id FROM tickets WHERE contact_id IS NOT NULL LIMIT 500"
        )
        names = await conn.fetch("SELECT name FROM contacts TABLESAMPLE SYSTEM (1) LIMIT 500")
    finally:
        await conn.close()
    return count, [str(r[0]) for r in callers], [r[0] for r in names]


def build_kinds(count: int, callers: list[str], names: list[str]) -> list[Kind]:
    def phone(style: Callable[[str], str]) -> Callable[[random.Random], str]:
        def path(rng: random.Random) -> str:
            return f"/api/contacts?q={quote(style(phone_of(rng.randrange(count))))}"

        return path

    def national(e164: str) -> str:  # +12012000000 -> 201.200.0000
        digits = e164[2:]
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"

    def formatted(e164: str) -> str:  # +1 (201) 200-0000
        digits = e164[2:]
        return f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}"

    def by_name(rng: random.Random) -> str:
        return f"/api/contacts?q={quote(rng.choice(names))}"

    def by_first_and_prefix(rng: random.Random) -> str:
        last = rng.choice(names).split(" ", 1)[1]
        return f"/api/contacts?q={quote(rng.choice(vocab.FIRST_NAMES) + ' ' + last[:4])}"

    def similar(rng: random.Random) -> str:
        return (
            f"/api/tickets/similar?title={_JAM_TITLE}&description={_JAM_TEXT}"
            f"&contact_id={rng.choice(callers)}"
        )

    def detail(rng: random.Random) -> str:
        return f"/api/contacts/{rng.randint(1, count)}"

    return [
        Kind("contact by phone, E.164", "contact", phone(lambda p: p)),
        Kind("contact by phone, +1 (201) 200-0000", "contact", phone(formatted)),
        Kind("contact by phone, 201.200.0000", "contact", phone(national)),
        Kind("contact by last 4 digits", "contact", phone(lambda p: p[-4:])),
        Kind("contact by full name", "contact", by_name),
        Kind("contact by first name + surname prefix", "contact", by_first_and_prefix),
        Kind("contact detail by number", "contact", detail),
        Kind("similar with contact_id", "similar", similar),
    ]


async def measure(args: argparse.Namespace, base: str, server_pid: int) -> None:
    url = plain_postgres_url(args.database_url)
    count, callers, names = await _samples(url)
    kinds = build_kinds(count, callers, names)
    if args.only:
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        kinds = [kind for kind in kinds if any(part in kind.name for part in wanted)]
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        login = await client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        login.raise_for_status()
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    raw = [RawConnection(base, cookie) for _ in range(args.concurrency)]
    quiet = await wait_until_quiet(0.15, args.max_wait_quiet)
    results: list[Result] = []
    try:
        for i, kind in enumerate(kinds):
            results.append(
                await run_kind(
                    [c.get for c in raw],
                    kind,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    warmup=64,
                    seed=7 + i,
                    server_pid=server_pid,
                    database_url=args.database_url,
                )
            )
            print(f"  done: {kind.name}", flush=True)
    finally:
        for connection in raw:
            await connection.close()
    tickets = await _count(url, "tickets")
    machine = await machine_description(args.database_url)
    print(
        f"\n### Callers: {count:,} contacts, {tickets:,} tickets, {args.workers} uvicorn "
        f"worker(s), {args.concurrency} clients\n\n{args.requests} requests per kind after 64 "
        f"warm-up; machine: {machine}; other load before the run: {quiet:.0%} of all CPUs\n"
    )
    print(markdown_table(results))


def serve(args: argparse.Namespace, env: dict[str, str]) -> None:
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            _deskpilot(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        run_async(lambda: measure(args, base, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DESKPILOT_BENCH_DATABASE_URL",
            "postgresql://postgres@127.0.0.1:5432/deskpilot_contacts_bench",
        ),
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per kind")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--only", default="", help="comma-separated parts of kind names")
    parser.add_argument("--max-wait-quiet", type=float, default=300.0, help="seconds")
    parser.add_argument("--recreate", action="store_true", help="drop the bench database first")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 64 or not 1 <= args.requests <= 100_000:
        parser.error("concurrency 1-64 and requests 1-100000")
    require_loopback(args.database_url)
    url = plain_postgres_url(args.database_url)
    env = {
        **os.environ,
        "DESKPILOT_DATABASE_URL": args.database_url,
        "DESKPILOT_ENVIRONMENT": "development",
        "DESKPILOT_LLM_PROVIDER": "offline",
    }
    asyncio.run(ensure_database(url, recreate=args.recreate))
    _run(_deskpilot(), "migrate", env=env)
    python = sys.executable
    if asyncio.run(_count(url, "tickets")) < args.tickets:
        _run(python, "-m", "bench.load_tickets", "--database-url", url, "--count",
             str(args.tickets), "--truncate", env=env)  # fmt: skip
    if asyncio.run(_count(url, "contacts")) != args.contacts:
        _run(python, "-m", "bench.load_contacts", "--database-url", url, "--count",
             str(args.contacts), env=env)  # fmt: skip
    subprocess.run(
        [_deskpilot(), "create-user", "--email", EMAIL, "--name", "Bench", "--password", PASSWORD,
         "--role", "agent"],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    serve(args, env)


if __name__ == "__main__":
    main()
