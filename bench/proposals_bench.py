"""Supervised copilot benchmark (issue 14): a real `deskpilot serve`, the instant fake model
(bench.chat_fake_llm), HTTP on 127.0.0.1, one request at a time, bounded loops.

    uv run python -m bench.proposals_bench            # prepares its database (as chat_bench)
    uv run python -m bench.proposals_bench --reuse    # reuses it

The server runs with DESKPILOT_CHAT_APPROVAL=optional, so the bench user's own choice
(`PUT /api/chat/preferences`) switches between proposing and writing at once. Each phase
runs `--turns` (after `--warmup`) times, one open ticket each, and reports the server's and
PostgreSQL's CPU per run besides the latencies (which a busy machine skews). In order:
1. propose: "close #N" (JSON). The fake model answers with `update_ticket`; the turn ends
   in a proposal (one model call). Backend time = request time minus the fake's own time.
2. approve (streamed): request sent → `proposal_updated` read (the write is committed before
   the answer starts), and → the continuation's first `text_delta` (minus the fake's time up
   to its first text chunk). A raw socket, so no client library's CPU is counted.
3. undo (the card's route, JSON): the ticket is open again.
4. today's turn for the same request, with approval off: "close #N" writes at once and the
   model is called again for the answer (two model calls); then undone.
5. today's most common turn: `search_tickets` then an answer (bench.chat_bench's turn).
Prints a Markdown table with p50/p95/p99 and the issue's targets, and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx

from bench.chat_bench import (
    MESSAGES,
    Bench,
    CpuMeter,
    QuietWait,
    Series,
    _free_port,
    code_version,
    fake_model_env,
    figures_table,
    preparation_arguments,
    prepare,
    print_machine_table,
    start_fake_model,
    start_server,
)
from bench.common import plain_postgres_url, postgres_version, require_loopback, run_async

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/deskpilot_proposals_bench"


class ProposalBench(Bench):
    async def _turn(self, session: str, content: str) -> tuple[dict[str, Any], float]:
        """A JSON turn: (the reply, backend ms = request time minus the fake model's)."""
        before = await self.fake_stats()
        started = time.perf_counter()
        status, body = await self.post_raw(
            f"/api/chat/sessions/{session}/messages",
            {"content": content, "client_message_id": str(uuid.uuid4())},
        )
        elapsed = time.perf_counter() - started
        after = await self.fake_stats()
        if status != 200:
            raise SystemExit(f"turn failed: {status} {body[:500]!r}")
        return json.loads(body), (elapsed - (after["busy_s"] - before["busy_s"])) * 1000

    async def prefer(self, ask: bool) -> None:
        r = await self.client.put(
            "/api/chat/preferences",
            json={"ask_before_changes": ask},
            headers={"X-CSRF-Token": self.csrf},
        )
        r.raise_for_status()

    async def approve_streamed(self, session: str, proposal: str) -> tuple[float, float]:
        """(ms to `proposal_updated`, backend ms to the continuation's first `text_delta`)."""
        parts = urlsplit(str(self.client.base_url))
        cookie = "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())
        request = (
            f"POST /api/chat/sessions/{session}/proposals/{proposal}/approve HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n"
            f"X-CSRF-Token: {self.csrf}\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\nConnection: close\r\n\r\n{}"
        ).encode()
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        started = time.perf_counter()
        writer.write(request)
        seen, decided, first_text = b"", 0.0, 0.0
        while chunk := await reader.read(65536):
            seen += chunk
            now = time.perf_counter()
            if not decided and b"event: proposal_updated" in seen:
                decided = now
            if not first_text and b"event: text_delta" in seen:
                first_text = now
        writer.close()
        after = await self.fake_stats()
        if not seen.startswith(b"HTTP/1.1 200") or not decided or not first_text:
            raise SystemExit(f"approve failed: {seen[:500]!r}")
        # The fake's share before its first text: the model call's start to that chunk.
        calls = [c for c in after["calls"] if c[0] >= started]
        inside = (after["first_text_sent"] - calls[0][0]) if calls else 0.0
        return (decided - started) * 1000, (first_text - started - inside) * 1000

    async def undo(self, session: str, proposal: str) -> float:
        started = time.perf_counter()
        status, body = await self.post_raw(
            f"/api/chat/sessions/{session}/proposals/{proposal}/undo", {}
        )
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or not json.loads(body)["undone_at"]:
            raise SystemExit(f"undo failed: {status} {body[:500]!r}")
        return elapsed

    async def phase(self, series: Series, runs: list[Any]) -> str:
        """Run the awaitables' factories in order, timing nothing itself (each returns its ms);
        the CPU the server and PostgreSQL spent on them, per run."""
        if self.raw is not None:
            await self.raw.close()  # idle for a while: the server may have closed it
        before = await self.meter.sample() if self.meter else {}
        for run in runs:
            series.values.append(await run())
        after = await self.meter.sample() if self.meter else {}
        if not self.meter:
            return ""
        server_s, pg_s, _ = CpuMeter.used(before, after)
        others = CpuMeter.others(before, after)
        return (
            f"{series.name}: server CPU {server_s * 1000 / len(runs):.1f} ms, PostgreSQL CPU "
            f"{pg_s * 1000 / len(runs):.1f} ms per run (other work: {others:.0%} of all CPUs)."
        )

    async def run_all(self, numbers: list[int], warmup: int) -> tuple[list[Series], list[str]]:
        proposed = Series("turn ending in a proposal (`close #N`, JSON): backend time")
        today = Series("today's turn for the same request (approval off: write + 2nd model call)")
        search = Series("today's common turn (`search_tickets` + answer)")
        decided = Series("approve → write committed, `proposal_updated` read", ((95, 25),))
        first = Series("approve → continuation's first `text_delta` (backend time)", ((95, 25),))
        undone = Series("undo from the card (JSON)", ((95, 15),))
        undone_auto = Series("↳ undo of a write made at once")
        notes: list[str] = []
        # A chat each: a new message in a chat supersedes the proposal still waiting there.
        chats = [(await self.new_session(), number) for number in numbers]
        pending: list[tuple[str, str]] = []
        written: list[tuple[str, str]] = []
        texts: list[float] = []

        async def propose(session: str, number: int) -> float:
            reply, ms = await self._turn(session, f"close #{number}")
            if reply["status"] != "awaiting_approval":
                raise SystemExit(f"#{number}: no proposal: {reply['status']} {reply['tool_calls']}")
            pending.append((session, reply["proposals"][0]["id"]))
            return ms

        async def approve(session: str, proposal: str) -> float:
            to_decided, to_text = await self.approve_streamed(session, proposal)
            texts.append(to_text)
            return to_decided

        async def at_once(session: str, number: int) -> float:
            reply, ms = await self._turn(session, f"close #{number}")
            if reply["status"] != "complete" or reply["tool_calls"][0]["status"] != "ok":
                raise SystemExit(f"#{number}: not written at once: {reply['tool_calls']}")
            written.append((session, reply["proposals"][0]["id"]))
            return ms

        async def searched(session: str) -> float:
            reply, ms = await self._turn(session, self.rng.choice(MESSAGES))
            if [c["name"] for c in reply["tool_calls"] or []] != ["search_tickets"]:
                raise SystemExit(f"unexpected search turn: {reply['tool_calls']}")
            return ms

        def bind(function: Any, *args: Any) -> Any:
            return lambda: function(*args)

        await self.prefer(True)
        notes.append(await self.phase(proposed, [bind(propose, s, n) for s, n in chats]))
        notes.append(await self.phase(decided, [bind(approve, s, p) for s, p in pending]))
        first.values += texts
        notes.append(await self.phase(undone, [bind(self.undo, s, p) for s, p in pending]))
        await self.prefer(False)
        notes.append(await self.phase(today, [bind(at_once, s, n) for s, n in chats]))
        notes.append(await self.phase(undone_auto, [bind(self.undo, s, p) for s, p in written]))
        notes.append(await self.phase(search, [bind(searched, s) for s, _ in chats]))
        await self.prefer(True)
        series = [proposed, today, search, decided, first, undone, undone_auto]
        for one in series:  # the warm-up runs of each phase are left out
            del one.values[:warmup]
        return series, [note for note in notes if note]


async def open_tickets(url: str, count: int) -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT number FROM tickets WHERE status = 'open' ORDER BY random() LIMIT $1", count
        )
    finally:
        await conn.close()
    if len(rows) < count:
        raise SystemExit(f"only {len(rows)} open tickets; fewer --turns")
    return [int(r["number"]) for r in rows]


async def run(args: argparse.Namespace) -> None:
    require_loopback(args.database_url)
    env = {
        **os.environ,
        "DESKPILOT_DATABASE_URL": args.database_url,
        "DESKPILOT_ENVIRONMENT": "development",
    }
    await prepare(args, env)
    numbers = await open_tickets(plain_postgres_url(args.database_url), args.turns + args.warmup)
    fake_port, port = _free_port(), _free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env |= fake_model_env(fake_url) | {"DESKPILOT_CHAT_APPROVAL": "optional"}
    logs = Path(args.log_dir)
    quiet = QuietWait(args.quiet_threshold, args.max_wait_quiet)
    async with AsyncExitStack() as stack:
        _, fake_proc = await start_fake_model(
            stack, env, logs / "proposals-bench-fake.log", fake_port
        )
        # cProfile on CPU time, as bench.chat_bench's option
        base, server = await start_server(
            stack, env, logs / "proposals-bench-server.log", port, profile=args.profile_server
        )
        client = await stack.enter_async_context(
            httpx.AsyncClient(base_url=base, timeout=30, headers={"X-Bench": "proposals"})
        )
        fake = await stack.enter_async_context(httpx.AsyncClient(base_url=fake_url, timeout=5))
        bench = ProposalBench(client, fake)
        await bench.login()
        await quiet.wait()
        bench.meter = CpuMeter(server.proc.pid, fake_proc.proc.pid, args.database_url)
        print(f"measuring: {args.turns} of each: propose, approve, undo, today's turns ...")
        series, notes = await bench.run_all(numbers, args.warmup)

    pg = await postgres_version(args.database_url)
    proposal_p50, today_p50, search_p50 = (s.stats()[0] for s in series[:3])
    print()
    print(f"## Supervised copilot figures ({args.turns} rounds after {args.warmup} warm-up)")
    print()
    print(f"Code: {code_version(env)}.")
    print()
    print(figures_table(series))
    print()
    for note in notes:
        print(f"- {note}")
    print()
    print(
        f"A turn ending in a proposal, p50: {proposal_p50 - today_p50:+.1f} ms against today's "
        f"turn for the same request, {proposal_p50 - search_p50:+.1f} ms against today's "
        f"search turn (target: at most +3 ms: "
        f"{'met' if proposal_p50 - min(today_p50, search_p50) <= 3 else '**missed**'})."
    )
    busy = ", ".join(f"{b:.0%}" for b in quiet.seen)
    print()
    print(f"Other work on the machine before the run: {busy} of all CPUs; load average after: "
          f"{os.getloadavg()[0]:.2f}.")  # fmt: skip
    print()
    print_machine_table(pg)


def main() -> None:
    parser = argparse.ArgumentParser(description="Supervised copilot benchmark (127.0.0.1 only).")
    preparation_arguments(parser, database_url=DEFAULT_DB, sessions=1_000, long_messages=200)
    parser.add_argument("--turns", type=int, default=200, help="measured rounds")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--max-wait-quiet", type=float, default=300)
    parser.add_argument("--quiet-threshold", type=float, default=0.25)
    parser.add_argument("--log-dir", default="/tmp/deskpilot-proposals-bench")
    parser.add_argument("--profile-server", metavar="PATH.prof", help="cProfile the server")
    args = parser.parse_args()
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    run_async(lambda: run(args))


if __name__ == "__main__":
    main()
