"""Measure the tickets API over HTTP with N concurrent clients (p50/p95/p99 per query kind).

    uv run python -m bench.http_bench --base-url http://127.0.0.1:8765 \
        --email bench@example.com --password bench-password-1 --concurrency 8 --requests 2000

Logs in once (session cookie), then for each kind sends `--warmup` unmeasured requests and
`--requests` measured ones from `--concurrency` closed-loop workers (each sends its next
request when its previous response has arrived). Bounded (requests x kinds), 127.0.0.1
only. Prints a Markdown table.

Clients (`--client`): `raw` (default) gives each worker its own keep-alive connection and
speaks just enough HTTP/1.1 (request line, headers, Content-Length body) on uvloop, so the
load generator takes ~0.1 ms CPU per request from the 2 cores it shares with the server
and PostgreSQL; `httpx` is the heavier general-purpose client (~1.3 ms CPU per request),
8 workers sharing one httpx.AsyncClient, as in the first published figures.

Query kinds (terms documented in backend/deskpilot/demo/corpus.py for the generated corpus):
- search rare "plotter" (0.01% of rows), common "password" (~9.4%), absent "xylophone",
  two terms "printer berlin" (~0.37%), common term with status=open;
- list first page (`/api/tickets`, 25 newest);
- list deep page: the cursor is a ticket number (keyset: `number < cursor`), so a deep
  page is built directly as `cursor = newest - depth` with depth drawn from 40-60% of the
  table (the same rows as following next_cursor ~20,000 times);
- get by number: `/api/tickets/{n}` for random n in 1..newest (ticket + notes + events);
- search misspelt "pritner jamed": full-text finds nothing, the respelt words do;
- similar (the duplicate check): a paper-jam ticket with a description, a misspelt title,
  and a ticket like none (`--only similar` runs just these).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from bench.common import (
    background_busy,
    cpu_spent,
    machine_cpu_busy_seconds,
    machine_description,
    percentile,
    pids_cpu_seconds,
    postgres_backends,
    process_tree_cpu_seconds,
    require_loopback,
    run_async,
    server_connections,
)

TARGET_MS = {"search": 50.0, "similar": 50.0, "list": 15.0, "get": 15.0, "contact": 15.0}


@dataclass
class Kind:
    name: str
    target_group: str  # search | similar | list | get
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
    postgres_cpu_s: float = math.nan
    machine_busy_s: float = 0.0
    connections: str = "-"


_JAM_TITLE = "HP+LaserJet+printer+shows+paper+jam"
_JAM_TEXT = "Caller+from+Berlin+says+the+paper+is+stuck+in+tray+2+again+after+the+toner+change"


def build_kinds(newest: int) -> list[Kind]:
    def search(q: str, extra: str = "") -> Callable[[random.Random], str]:
        return lambda _rng: f"/api/tickets/search?q={q}{extra}"

    def similar(title: str, description: str) -> Callable[[random.Random], str]:
        return lambda _rng: f"/api/tickets/similar?title={title}&description={description}"

    def deep(rng: random.Random) -> str:
        return f"/api/tickets?cursor={newest - rng.randint(newest * 2 // 5, newest * 3 // 5)}"

    return [
        Kind("search rare term `plotter`", "search", search("plotter")),
        Kind("search common term `password`", "search", search("password")),
        Kind("search absent term `xylophone`", "search", search("xylophone")),
        Kind("search two terms `printer berlin`", "search", search("printer+berlin")),
        Kind("search common term, status=open", "search", search("password", "&status=open")),
        Kind("search misspelt `pritner jamed`", "search", search("pritner+jamed")),
        Kind("similar: a paper-jam duplicate", "similar", similar(_JAM_TITLE, _JAM_TEXT)),
        Kind("similar: a misspelt title", "similar", similar("Pritner+jamed+on+floor+3", "")),
        Kind("similar: nothing alike", "similar", similar("Xylophone+hovercraft", "zeppelin")),
        Kind("list first page (25 newest)", "list", lambda _rng: "/api/tickets"),
        Kind("list deep page (cursor ~50% down)", "list", deep),
        Kind("get ticket by number", "get", lambda rng: f"/api/tickets/{rng.randint(1, newest)}"),
    ]


Get = Callable[[str], Awaitable[tuple[int, bytes]]]


class RawConnection:
    """One keep-alive HTTP/1.1 connection that sends requests and reads Content-Length bodies."""

    def __init__(self, base_url: str, cookie: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = (
            f"Host: {parts.netloc}\r\nAccept: application/json\r\nCookie: {cookie}\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        return await self.request(b"GET", path)

    async def request(
        self, method: bytes, path: str, body: bytes = b"", headers: bytes = b""
    ) -> tuple[int, bytes]:
        """`headers`: extra header lines, each ending in CRLF."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        length = b"Content-Length: %d\r\n" % len(body) if body else b""
        self.writer.write(
            method
            + b" "
            + path.encode()
            + b" HTTP/1.1\r\n"
            + self.headers
            + headers
            + length
            + b"\r\n"
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        start = lower.find(b"\r\ncontent-length:")
        if start < 0:
            raise RuntimeError(f"response without Content-Length: {head[:200]!r}")
        end = lower.index(b"\r\n", start + 2)
        body = await self.reader.readexactly(int(lower[start + 17 : end]))
        if b"\r\nconnection: close" in lower:
            self.writer.close()
            self.reader = self.writer = None
        return status, body

    @property
    def local_port(self) -> int | None:
        if self.writer is None:
            return None
        return int(self.writer.get_extra_info("sockname")[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
        self.reader = self.writer = None


async def spread_connections(
    connections: list[RawConnection], server_pid: int, port: int, *, balance: bool
) -> str:
    """(Re)open the connections, concurrently as clients arriving together would, and say
    how the server's processes accepted them ("5/3"). With `balance`, reopen connections of
    the busiest process until every process holds n // workers or one more: the kernel
    hands a new connection to whichever uvicorn worker accepts first, often 6 of 8 to one."""
    for connection in connections:
        await connection.close()
    await asyncio.gather(*(c.get("/api/health") for c in connections))

    def accepted() -> dict[int, set[int]]:
        ours = {c.local_port for c in connections}
        return {pid: ports & ours for pid, ports in server_connections(server_pid, port).items()}

    split = accepted()
    attempts = 0
    while balance and len(split) > 1 and attempts < 200:
        counts = {pid: len(ports) for pid, ports in split.items()}
        busiest = max(counts, key=lambda pid: counts[pid])
        if counts[busiest] - min(counts.values()) <= 1:
            break
        victim = next(c for c in connections if c.local_port in split[busiest])
        await victim.close()
        await victim.get("/api/health")
        attempts += 1
        split = accepted()
    return "/".join(str(n) for n in sorted((len(ports) for ports in split.values()), reverse=True))


def httpx_getter(client: httpx.AsyncClient) -> Get:
    async def get(path: str) -> tuple[int, bytes]:
        response = await client.get(path)
        return response.status_code, response.content

    return get


async def run_kind(
    getters: Sequence[Get],
    kind: Kind,
    *,
    requests: int,
    concurrency: int,
    warmup: int,
    seed: int,
    server_pid: int | None,
    database_url: str | None = None,
    connect: Callable[[], Awaitable[str]] | None = None,
) -> Result:
    result = Result(kind)
    if connect is not None:
        result.connections = await connect()
    rng = random.Random(seed)
    warming = warmup

    async def warm(get: Get) -> None:
        # As concurrent as the measurement, so that every pooled database connection of
        # every server worker has run (prepared) this kind's statements before it counts:
        # a connection's first search costs ~70 ms (catalog caches, planning).
        nonlocal warming
        while warming > 0:
            warming -= 1
            await get(kind.path(rng))

    await asyncio.gather(*(warm(getters[i % len(getters)]) for i in range(concurrency)))
    remaining = requests

    async def worker(get: Get) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            path = kind.path(rng)
            start = time.perf_counter()
            status, body = await get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                result.errors += 1
                continue
            result.latencies_ms.append(elapsed)
            result.items.append(len(json.loads(body).get("items", [None])))

    server0 = process_tree_cpu_seconds(server_pid) if server_pid else math.nan
    backends = await postgres_backends(database_url) if database_url else []
    postgres0 = pids_cpu_seconds(backends)
    busy0, _ = machine_cpu_busy_seconds()
    client0 = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(worker(getters[i % len(getters)]) for i in range(concurrency)))
    result.wall_s = time.perf_counter() - start
    result.client_cpu_s = time.process_time() - client0
    result.machine_busy_s = machine_cpu_busy_seconds()[0] - busy0
    if database_url:
        result.postgres_cpu_s = cpu_spent(postgres0, pids_cpu_seconds(backends))
    if server_pid:
        result.server_cpu_s = process_tree_cpu_seconds(server_pid) - server0
    return result


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
        "| CPU ms/req: server / PostgreSQL / client | machine busy (other) | conns/worker "
        "| target p95 |",
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
        ours = r.server_cpu_s + r.client_cpu_s + r.postgres_cpu_s
        other = max(r.machine_busy_s - ours, 0.0) if not math.isnan(ours) else math.nan
        lines.append(
            f"| {r.kind.name} | {len(lat)} | {r.errors} | {percentile(items, 50):.0f} "
            f"| {percentile(lat, 50):.1f} | {p95:.1f} | {percentile(lat, 99):.1f} "
            f"| {lat[-1] if lat else math.nan:.1f} | {len(lat) / r.wall_s:.0f} "
            f"| {r.server_cpu_s * 1000 / n:.2f} / {r.postgres_cpu_s * 1000 / n:.2f} / "
            f"{r.client_cpu_s * 1000 / n:.2f} | {r.machine_busy_s / (r.wall_s * cpus):.0%} "
            f"({other / (r.wall_s * cpus):.0%}) | {r.connections} | {verdict} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    require_loopback(args.base_url)
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    raw: list[RawConnection] = []
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
        if args.only:
            wanted = [part.strip() for part in args.only.split(",") if part.strip()]
            kinds = [kind for kind in kinds if any(part in kind.name for part in wanted)]
        connect: Callable[[], Awaitable[str]] | None = None
        if args.client == "raw":
            cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            raw = [RawConnection(args.base_url, cookie) for _ in range(args.concurrency)]
            getters: list[Get] = [connection.get for connection in raw]
            if args.server_pid:
                port = urlsplit(args.base_url).port or 80
                server_pid = args.server_pid

                async def connect() -> str:
                    return await spread_connections(raw, server_pid, port, balance=args.balance)

        else:
            getters = [httpx_getter(client)]
        quiet = await wait_until_quiet(args.quiet_threshold, args.max_wait_quiet)
        load_before = os.getloadavg()
        results = []
        try:
            for i, kind in enumerate(kinds):
                if i:  # the server is idle between kinds: let other work on the machine pass
                    await wait_until_quiet(args.quiet_threshold, min(args.max_wait_quiet, 120))
                results.append(
                    await run_kind(
                        getters,
                        kind,
                        requests=args.requests,
                        concurrency=args.concurrency,
                        warmup=args.warmup,
                        seed=args.seed + i,
                        server_pid=args.server_pid,
                        database_url=args.database_url,
                        connect=connect,
                    )
                )
                print(f"  done: {kind.name}", flush=True)
        finally:
            for connection in raw:
                await connection.close()
    load_after = os.getloadavg()
    if args.client != "raw":
        connections = "httpx pool (not tracked per worker)"
    elif args.balance:
        connections = "reopened for each kind and spread evenly over the server's workers"
    else:
        connections = "reopened for each kind, left as the server's workers accepted them"
    machine = await machine_description(args.database_url)
    print()
    print(f"### {args.label}\n" if args.label else "")
    print(
        f"{newest:,} tickets; {args.concurrency} concurrent closed-loop clients ({args.client} "
        f"client), {args.requests} requests per kind after {args.warmup} warm-up; machine: "
        f"{machine}; other load before the run: {quiet:.0%} of all CPUs; load average "
        f"(1/5/15 min) before: {_loadavg(load_before)}, after: {_loadavg(load_after)}; "
        f"connections: {connections}\n"
    )
    print(markdown_table(results))


def _loadavg(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per kind")
    parser.add_argument(
        "--warmup", type=int, default=64, help="unmeasured requests per kind, sent concurrently"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only", default="", help="comma-separated parts of kind names, e.g. 'search,similar'"
    )
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--database-url",
        help="the server's database: to report PostgreSQL's version and its backends' CPU",
    )
    parser.add_argument("--server-pid", type=int, help="report the server's CPU per request")
    parser.add_argument("--quiet-threshold", type=float, default=0.15, help="share of all CPUs")
    parser.add_argument("--max-wait-quiet", type=float, default=300.0, help="seconds")
    parser.add_argument(
        "--client", choices=("raw", "httpx"), default="raw", help="load generator (see above)"
    )
    parser.add_argument(
        "--balance",
        action="store_true",
        help="raw client: spread the connections evenly over the server's worker processes "
        "(needs --server-pid)",
    )
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 64 or not 1 <= args.requests <= 100_000:
        parser.error("concurrency 1-64 and requests 1-100000")
    run_async(lambda: main_async(args), use_uvloop=args.client == "raw")


if __name__ == "__main__":
    main()
