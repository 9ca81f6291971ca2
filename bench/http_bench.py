"""Measure the tickets API over HTTP with N concurrent clients (p50/p95/p99 per query kind).

    uv run python -m bench.http_bench --base-url http://127.0.0.1:8765 \
        --email bench@example.com --password bench-password-1 --concurrency 8 --requests 400

Logs in once (session cookie), then for each kind sends a few warm-up requests and
`--requests` measured ones from `--concurrency` workers sharing one httpx.AsyncClient.
Bounded (requests x kinds), 127.0.0.1 only. Prints a Markdown table.

Query kinds (terms documented in backend/demo/corpus.py for the generated corpus):
- search rare "plotter" (0.01% of rows), common "password" (~9.4%), absent "xylophone",
  two terms "printer berlin" (~0.37%), common term with status=open;
- list first page (`/api/tickets`, 25 newest);
- list deep page: the cursor is a ticket number (keyset: `number < cursor`), so a deep
  page is built directly as `cursor = newest - depth` with depth drawn from 40-60% of the
  table (the same rows as following next_cursor ~20,000 times);
- get by number: `/api/tickets/{n}` for random n in 1..newest (ticket + notes + events).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bench.common import (
    machine_cpu_busy_seconds,
    machine_description,
    percentile,
    process_tree_cpu_seconds,
    require_loopback,
)

TARGET_MS = {"search": 50.0, "list": 15.0, "get": 15.0}


@dataclass
class Kind:
    name: str
    target_group: str  # search | list | get
    path: Callable[[random.Random], str]


@dataclass
class Result:
    kind: Kind
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    items: list[int] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float = math.nan
    client_cpu_s: float = 0.0
    machine_busy_s: float = 0.0


def build_kinds(newest: int) -> list[Kind]:
    def search(q: str, extra: str = "") -> Callable[[random.Random], str]:
        return lambda _rng: f"/api/tickets/search?q={q}{extra}"

    def deep(rng: random.Random) -> str:
        return f"/api/tickets?cursor={newest - rng.randint(newest * 2 // 5, newest * 3 // 5)}"

    return [
        Kind("search rare term `plotter`", "search", search("plotter")),
        Kind("search common term `password`", "search", search("password")),
        Kind("search absent term `xylophone`", "search", search("xylophone")),
        Kind("search two terms `printer berlin`", "search", search("printer+berlin")),
        Kind("search common term, status=open", "search", search("password", "&status=open")),
        Kind("list first page (25 newest)", "list", lambda _rng: "/api/tickets"),
        Kind("list deep page (cursor ~50% down)", "list", deep),
        Kind("get ticket by number", "get", lambda rng: f"/api/tickets/{rng.randint(1, newest)}"),
    ]


async def run_kind(
    client: httpx.AsyncClient,
    kind: Kind,
    *,
    requests: int,
    concurrency: int,
    warmup: int,
    seed: int,
    server_pid: int | None,
) -> Result:
    result = Result(kind)
    rng = random.Random(seed)
    for _ in range(warmup):
        await client.get(kind.path(rng))
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            path = kind.path(rng)
            start = time.perf_counter()
            response = await client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                result.errors += 1
                continue
            result.latencies_ms.append(elapsed)
            result.items.append(len(response.json().get("items", [None])))

    server0 = process_tree_cpu_seconds(server_pid) if server_pid else math.nan
    busy0, _ = machine_cpu_busy_seconds()
    client0 = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.wall_s = time.perf_counter() - start
    result.client_cpu_s = time.process_time() - client0
    result.machine_busy_s = machine_cpu_busy_seconds()[0] - busy0
    if server_pid:
        result.server_cpu_s = process_tree_cpu_seconds(server_pid) - server0
    return result


async def background_busy(seconds: float) -> float:
    """Share of all CPUs busy over `seconds` while this benchmark is idle (0-1)."""
    busy0, total0 = machine_cpu_busy_seconds()
    await asyncio.sleep(seconds)
    busy1, total1 = machine_cpu_busy_seconds()
    return (busy1 - busy0) / max(total1 - total0, 1e-9)


async def wait_until_quiet(threshold: float, max_wait_s: float) -> float:
    """Other work on this small machine skews latencies: wait (bounded) for a quiet moment."""
    deadline = time.monotonic() + max_wait_s
    busy = await background_busy(3.0)
    while busy > threshold and time.monotonic() < deadline:
        print(
            f"  machine {busy:.0%} busy with other work; waiting for < {threshold:.0%}", flush=True
        )
        await asyncio.sleep(7.0)
        busy = await background_busy(3.0)
    return busy


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| query | n | non-200 | items/resp | p50 ms | p95 ms | p99 ms | max ms | req/s "
        "| server CPU ms/req | client CPU ms/req | machine busy | target p95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lat = sorted(r.latencies_ms)
        items = sorted(r.items)
        p95 = percentile(lat, 95)
        target = TARGET_MS[r.kind.target_group]
        verdict = f"≤ {target:.0f} ms {'✅' if p95 <= target else '❌'}"
        n = max(len(lat) + r.errors, 1)
        cpus = len(os.sched_getaffinity(0))
        lines.append(
            f"| {r.kind.name} | {len(lat)} | {r.errors} | {percentile(items, 50):.0f} "
            f"| {percentile(lat, 50):.1f} | {p95:.1f} | {percentile(lat, 99):.1f} "
            f"| {lat[-1] if lat else math.nan:.1f} | {len(lat) / r.wall_s:.0f} "
            f"| {r.server_cpu_s * 1000 / n:.2f} | {r.client_cpu_s * 1000 / n:.2f} "
            f"| {r.machine_busy_s / (r.wall_s * cpus):.0%} | {verdict} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    require_loopback(args.base_url)
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(base_url=args.base_url, limits=limits, timeout=30.0) as client:
        login = await client.post(
            "/api/auth/login", json={"email": args.email, "password": args.password}
        )
        login.raise_for_status()
        first = (await client.get("/api/tickets", params={"limit": 1})).json()["items"]
        if not first:
            raise SystemExit("no tickets: load them first (bench.load_tickets)")
        newest = int(first[0]["number"])
        kinds = build_kinds(newest)
        quiet = await wait_until_quiet(args.quiet_threshold, args.max_wait_quiet)
        results = []
        for i, kind in enumerate(kinds):
            results.append(
                await run_kind(
                    client,
                    kind,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    warmup=args.warmup,
                    seed=args.seed + i,
                    server_pid=args.server_pid,
                )
            )
            print(f"  done: {kind.name}", flush=True)
    machine = await machine_description(args.database_url)
    print()
    print(f"### {args.label}\n" if args.label else "")
    print(
        f"{newest:,} tickets; {args.concurrency} concurrent clients, {args.requests} "
        f"requests per kind after {args.warmup} warm-up; machine: {machine}; "
        f"other load before the run: {quiet:.0%} of all CPUs; load average after: "
        f"{os.getloadavg()[0]:.2f}\n"
    )
    print(markdown_table(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per kind")
    parser.add_argument("--warmup", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="")
    parser.add_argument("--database-url", help="only to report the PostgreSQL version")
    parser.add_argument("--server-pid", type=int, help="report the server's CPU per request")
    parser.add_argument("--quiet-threshold", type=float, default=0.15, help="share of all CPUs")
    parser.add_argument("--max-wait-quiet", type=float, default=300.0, help="seconds")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 64 or not 1 <= args.requests <= 100_000:
        parser.error("concurrency 1-64 and requests 1-100000")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
