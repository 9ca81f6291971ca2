"""Concurrent chat turns on a slow model (issue 17): a real `deskpilot serve`, the fake model
(bench.chat_fake_llm) waiting `--delay` seconds before each answer, HTTP on 127.0.0.1.

    uv run python -m bench.turns_bench            # prepares its database (as chat_bench)
    uv run python -m bench.turns_bench --reuse    # reuses it

`--turns` turns (200) from `--users` agents (70), each in a chat of its own, sent as JSON
requests all at once or (`--spread S`) at evenly spaced moments over S seconds; an agent has at most DESKPILOT_CHAT_MAX_CONCURRENT_STREAMS (3) at
once, so 70 agents can carry 200. A turn calls the model twice (`search_tickets`, then the
answer), so the model's share is 2 × delay; the backend time added is the turn's time minus
that. Meanwhile another agent lists tickets (`GET /api/tickets`, 25 a page) one request
after another, and the server's pooled connections in use
(`deskpilot_db_connections_in_use`, from its metrics port, every `--metrics-every` s: a
scrape costs the server ~6 ms of CPU) and the bench database's PostgreSQL backends (every
20 ms) are sampled. The chats are created before the measured turns. Prints Markdown tables of the figures and the
machine. The server runs with `--workers` worker processes (1) and DESKPILOT_DB_POOL_SIZE
`--pool-size` (10: 20 connections at most per process).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from bench.chat_bench import (
    EMAIL,
    MESSAGES,
    PASSWORD,
    QuietWait,
    _free_port,
    code_version,
    fake_model_env,
    preparation_arguments,
    prepare,
    print_machine_table,
    start_fake_model,
    start_server,
)
from bench.common import (
    machine_cpu_busy_seconds,
    percentile,
    plain_postgres_url,
    postgres_version,
    process_tree_cpu_seconds,
    require_loopback,
    run_bench,
)

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/deskpilot_turns_bench"
CALLS_PER_TURN = 2  # search_tickets, then the answer
IN_USE = "deskpilot_db_connections_in_use"


@dataclass
class Samples:
    turns_s: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    list_ms: list[float] = field(default_factory=list)
    list_errors: int = 0
    in_use: list[float] = field(default_factory=list)
    backends: list[int] = field(default_factory=list)
    server_cpu_s: float = 0.0  # the server's processes, during the measured turns
    fake_cpu_s: float = 0.0  # the fake model's
    machine_busy: float = 0.0  # share of all CPUs busy during the measured turns


async def add_agents(url: str, count: int) -> list[str]:
    """`count` agents beside the bench user, with its password (its hash copied: no argon2
    per agent here)."""
    emails = [f"turns-bench-{i}@example.com" for i in range(count)]
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO users (email, name, password_hash, role) "
            "SELECT e, 'Turns Bench ' || n, u.password_hash, 'agent' "
            "FROM unnest($1::text[]) WITH ORDINALITY AS a(e, n), users u "
            "WHERE u.email = $2 AND NOT EXISTS (SELECT 1 FROM users x WHERE x.email = e)",
            emails,
            EMAIL,
        )
        # chats of earlier runs
        await conn.execute(
            "DELETE FROM chat_sessions s USING users u WHERE u.id = s.user_id "
            "AND u.email LIKE 'turns-bench-%'"
        )
        await conn.execute("DELETE FROM chat_turn_leases")
    finally:
        await conn.close()
    return emails


async def signed_in(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=120)
    r = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


async def new_chat(client: httpx.AsyncClient) -> str:
    r = await client.post("/api/chat/sessions", json={})
    r.raise_for_status()
    return str(r.json()["id"])


async def one_turn(
    client: httpx.AsyncClient, chat: str, content: str, out: Samples, after: float = 0.0
) -> None:
    await asyncio.sleep(after)
    started = time.perf_counter()
    r = await client.post(f"/api/chat/sessions/{chat}/messages", json={"content": content})
    out.turns_s.append(time.perf_counter() - started)
    out.statuses.append(r.status_code)


async def list_tickets(client: httpx.AsyncClient, stop: asyncio.Event, out: Samples) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        r = await client.get("/api/tickets", params={"limit": 25})
        out.list_ms.append((time.perf_counter() - started) * 1000)
        out.list_errors += r.status_code != 200
        await asyncio.sleep(0.02)


async def watch_connections(
    metrics_url: str, db_url: str, stop: asyncio.Event, out: Samples, metrics_every: float
) -> None:
    """PostgreSQL's backends every 20 ms; the server's pooled connections in use (its
    /metrics) every `metrics_every` s: a scrape costs the server ~6 ms of CPU (~700 lines of
    text from prometheus-client), in the one worker's process, holding its GIL; every 20 ms
    it took a quarter of a core from the turns being measured."""
    name = db_url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(db_url)
    scraped = 0.0
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            while not stop.is_set():
                if time.perf_counter() - scraped >= metrics_every:
                    scraped = time.perf_counter()
                    text = (await http.get(metrics_url)).text
                    out.in_use.append(
                        sum(
                            float(line.rsplit(" ", 1)[1])
                            for line in text.splitlines()
                            if line.startswith(IN_USE)
                        )
                    )
                out.backends.append(
                    await conn.fetchval(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = $1 AND pid <> pg_backend_pid()",
                        name,
                    )
                )
                await asyncio.sleep(0.02)
    finally:
        await conn.close()


async def chats_for(
    clients: Sequence[httpx.AsyncClient], turns: int, per_agent: int
) -> list[tuple[httpx.AsyncClient, str]]:
    """A new chat for each of `turns` turns, at most `per_agent` per agent."""
    owners = [clients[i % len(clients)] for i in range(turns)]
    if turns > len(clients) * per_agent:
        raise SystemExit(f"{turns} turns need at least {-(-turns // per_agent)} agents")
    chats = await asyncio.gather(*(new_chat(c) for c in owners))
    return list(zip(owners, chats, strict=True))


async def all_turns(
    chats: Sequence[tuple[httpx.AsyncClient, str]], out: Samples, spread: float = 0.0
) -> None:
    """A turn in each chat, sent at evenly spaced moments over `spread` seconds (0: all at
    once)."""
    turns = len(chats)
    await asyncio.gather(
        *(one_turn(c, chat, MESSAGES[i % len(MESSAGES)], out, i * spread / turns)
          for i, (c, chat) in enumerate(chats))
    )  # fmt: skip


def ms(values: Sequence[float], pct: float) -> str:
    return f"{percentile(sorted(values), pct):.1f}"


def report(args: argparse.Namespace, out: Samples, code: str, pg: str, busy: list[float]) -> None:
    model_s = CALLS_PER_TURN * args.delay
    added = [(t - model_s) * 1000 for t in out.turns_s]
    ok = sum(1 for s in out.statuses if s == 200)
    print()
    print(
        f"## {args.turns} concurrent turns from {args.users} agents, model {args.delay:g} s a call"
    )
    print()
    print(f"Code: {code}. `serve --workers {args.workers}`, DESKPILOT_DB_POOL_SIZE={args.pool_size} "
          f"(at most {2 * args.pool_size} connections a process).")  # fmt: skip
    print()
    print("| Measurement | n | median | p95 | max |")
    print("|---|---:|---:|---:|---:|")
    print(f"| Turn, s (model: {model_s:g} s) | {len(out.turns_s)} | "
          f"{statistics.median(out.turns_s):.2f} | {percentile(sorted(out.turns_s), 95):.2f} | "
          f"{max(out.turns_s):.2f} |")  # fmt: skip
    print(f"| Backend time added to a turn, ms | {len(added)} | {statistics.median(added):.0f} | "
          f"{percentile(sorted(added), 95):.0f} | {max(added):.0f} |")  # fmt: skip
    print(f"| `GET /api/tickets` meanwhile, ms | {len(out.list_ms)} | "
          f"{statistics.median(out.list_ms):.1f} | {ms(out.list_ms, 95)} | "
          f"{max(out.list_ms):.1f} |")  # fmt: skip
    print(f"| Pooled connections in use | {len(out.in_use)} | {statistics.median(out.in_use):.0f} "
          f"| {percentile(sorted(out.in_use), 95):.0f} | {max(out.in_use):.0f} |")  # fmt: skip
    print(f"| PostgreSQL backends (bench database) | {len(out.backends)} | "
          f"{statistics.median(out.backends):.0f} | {percentile(sorted(out.backends), 95):.0f} | "
          f"{max(out.backends)} |")  # fmt: skip
    print()
    others = sorted({s for s in out.statuses if s != 200})
    print(f"Turns answered (200 OK): {ok} of {len(out.statuses)}"
          + (f" (others: {others})" if others else "") + f"; ticket lists failed: "
          f"{out.list_errors}.")  # fmt: skip
    print(f"Server CPU: {out.server_cpu_s:.1f} s in all, {out.server_cpu_s / len(out.turns_s) * 1000:.1f} "
          f"ms per turn (the ticket lists and {len(out.in_use)} metrics scrapes meanwhile "
          f"included); the fake model's: "
          f"{out.fake_cpu_s:.1f} s. All CPUs busy during the turns: {out.machine_busy:.0%}.")  # fmt: skip
    print(f"Other work on the machine before the run: {', '.join(f'{b:.0%}' for b in busy)} of "
          f"all CPUs; load average after: {os.getloadavg()[0]:.2f}.")  # fmt: skip
    print()
    print_machine_table(pg)


async def run(args: argparse.Namespace) -> None:
    require_loopback(args.database_url)
    url = plain_postgres_url(args.database_url)
    env = {**os.environ, "DESKPILOT_DATABASE_URL": url, "DESKPILOT_ENVIRONMENT": "development"}
    await prepare(args, env)
    emails = await add_agents(url, args.users)
    fake_port, port, metrics_port = _free_port(), _free_port(), _free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env |= fake_model_env(fake_url) | {
        "DESKPILOT_CHAT_MAX_CONCURRENT_STREAMS": str(args.per_agent),
        "DESKPILOT_DB_POOL_SIZE": str(args.pool_size),
        "DESKPILOT_METRICS_PORT": str(metrics_port),
        "DESKPILOT_LOG_LEVEL": "warning",
    }
    logs = Path(args.log_dir)
    quiet = QuietWait(args.quiet_threshold, args.max_wait_quiet)
    out = Samples()
    async with AsyncExitStack() as stack:
        _, fake = await start_fake_model(
            stack, env, logs / "turns-bench-fake.log", fake_port, "--delay", str(args.delay)
        )
        base, server = await start_server(
            stack, env, logs / "turns-bench-server.log", port, "--workers", str(args.workers),
            profile=args.profile_server,
        )  # fmt: skip
        lister = await signed_in(base, EMAIL)
        stack.push_async_callback(lister.aclose)
        agents = []
        for email in emails:  # one at a time: argon2 on this small machine
            agents.append(await signed_in(base, email))
            stack.push_async_callback(agents[-1].aclose)
        for _ in range(args.warmup):
            await lister.get("/api/tickets", params={"limit": 25})
        print(f"warm-up: {len(agents)} turns at once ...", flush=True)
        await all_turns(await chats_for(agents, len(agents), 1), Samples())
        await quiet.wait()
        chats = await chats_for(agents, args.turns, args.per_agent)  # before the CPU is read
        print(f"measuring: {args.turns} turns ...", flush=True)
        stop = asyncio.Event()
        background = [
            asyncio.create_task(list_tickets(lister, stop, out)),
            asyncio.create_task(
                watch_connections(
                    f"http://127.0.0.1:{metrics_port}/metrics", url, stop, out, args.metrics_every
                )
            ),
        ]
        cpu = (process_tree_cpu_seconds(server.proc.pid), process_tree_cpu_seconds(fake.proc.pid))
        busy = machine_cpu_busy_seconds()
        await all_turns(chats, out, args.spread)
        out.server_cpu_s = process_tree_cpu_seconds(server.proc.pid) - cpu[0]
        out.fake_cpu_s = process_tree_cpu_seconds(fake.proc.pid) - cpu[1]
        after = machine_cpu_busy_seconds()
        out.machine_busy = (after[0] - busy[0]) / max(after[1] - busy[1], 1e-9)
        stop.set()
        await asyncio.gather(*background)
    report(args, out, code_version(env), await postgres_version(url), quiet.seen)


def main() -> None:
    parser = argparse.ArgumentParser(description="Concurrent chat turns (127.0.0.1 only).")
    preparation_arguments(parser, database_url=DEFAULT_DB, sessions=1_000, long_messages=200)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--users", type=int, default=70)
    parser.add_argument(
        "--per-agent", type=int, default=3, help="DESKPILOT_CHAT_MAX_CONCURRENT_STREAMS"
    )
    parser.add_argument("--delay", type=float, default=8.0, help="model seconds per call")
    parser.add_argument(
        "--spread",
        type=float,
        default=0.0,
        help="send the turns at evenly spaced moments over this many seconds (0: all at once; "
        "below the model's time, all are still in flight together)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--profile-server", metavar="PATH", help="cProfile the server (1 worker) into PATH"
    )
    parser.add_argument(
        "--metrics-every",
        type=float,
        default=0.25,
        help="seconds between scrapes of the server's /metrics (connections in use); each "
        "costs the server ~6 ms of CPU",
    )
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=50, help="ticket lists before measuring")
    parser.add_argument("--max-wait-quiet", type=float, default=120)
    parser.add_argument("--quiet-threshold", type=float, default=0.25)
    parser.add_argument("--log-dir", default="/tmp/deskpilot-turns-bench")
    run_bench(parser, run)


if __name__ == "__main__":
    main()
