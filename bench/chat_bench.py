"""Chat backend benchmark: a real `deskpilot serve` process, an instant fake model, HTTP on
127.0.0.1, sequential requests, bounded loops. One command does everything:

    uv run python -m bench.chat_bench

1. Recreates the bench database (default
   postgresql://postgres@127.0.0.1:5432/deskpilot_chat_bench), runs `deskpilot migrate`,
   loads `--tickets` generated tickets (bench.load_tickets), creates the bench user
   (`deskpilot create-user`), and COPYs chat history for that user (bench.chat_seed):
   `--sessions` sessions with a few messages each and one session of `--long-messages`
   messages. `--reuse` keeps an already prepared database.
2. Starts the fake model (bench.chat_fake_llm, its own process) and `deskpilot serve` with
   DESKPILOT_LLM_PROVIDER=openai, DESKPILOT_LLM_BASE_URL pointing at the fake and a message
   rate limit out of the way; signs in (session cookie + X-CSRF-Token). With `--provider
   offline` the server answers with the built-in offline assistant instead (the fake still
   runs, unused: nothing is subtracted), which reads the same search messages.
3. Measures, printing p50/p95/p99 and n:
   - full turn (JSON): `POST /api/chat/sessions/{id}/messages`; the fake answers the first
     model call with a `search_tickets` tool call and the second with text that mentions two
     tickets. Backend time = client-measured request time minus the time spent inside the
     fake (it reports its own handler time, summed over the model calls made meanwhile). A
     new session every `--turns-per-session` turns; the session title is generated after the
     first reply is sent (a third, non-streamed model call). Sequential: one turn at a time
     (a session takes one reply at a time: advisory lock); a 409 is counted and retried.
     The timed POST goes through http_bench's raw keep-alive client (~0.1 ms CPU, where
     httpx's ~1 ms on the CPUs the server shares would count as backend time); the other
     phases use httpx.
   - server and PostgreSQL CPU per turn (from /proc), which a busy machine barely skews.
   - streaming: same turn with `Accept: text/event-stream`; time from the fake writing its
     first text chunk to the client reading the first `text_delta` event (both sides read
     `time.perf_counter()`, CLOCK_MONOTONIC on Linux: one clock for all processes).
   - session list: `GET /api/chat/sessions?limit=30`, the first page repeatedly and every page
     of the user's history by following `next_cursor` to the end.
   - opening the long session: `GET /api/chat/sessions/{id}` (latest 50 messages), with the
     response size; and paging back with `GET .../messages?before=` from random depths.
   Before each phase it waits (up to `--max-wait-quiet` seconds in all) until other work
   uses less than `--quiet-threshold` of the machine's CPUs, and reports what it found.
4. Prints a Markdown table of the figures and one of the machine. The server runs with one
   uvicorn worker and `--no-access-log`, like the foundation benchmark.

Profiling: `--profile-server out.prof` (cProfile on CPU time) or `out.html` (pyinstrument).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.chat_fake_llm import TITLE
from bench.chat_seed import sample_tickets, seed_long_session, seed_sessions
from bench.common import (
    background_busy,
    cpu_model,
    ensure_database,
    machine_cpu_busy_seconds,
    memory_gib,
    percentile,
    plain_postgres_url,
    postgres_version,
    require_loopback,
    run_async,
)
from bench.http_bench import RawConnection

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/deskpilot_chat_bench"
EMAIL = "chat-bench@example.com"
PASSWORD = "chat-bench-password-1"
LONG_TITLE = "Printer outages week 12"
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.prefix) / "bin"
# `--profile-server X.prof`: cProfile on process CPU time, which a busy machine barely skews.
CPROFILE_SERVER = """
import cProfile, os, runpy, sys, time
out, script = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
sys.path[0] = os.path.dirname(script)  # as if the script ran itself (not the current dir)
profiler = cProfile.Profile(time.process_time)
profiler.enable()
try:
    runpy.run_path(script, run_name="__main__")
finally:
    profiler.disable()
    profiler.dump_stats(out)
"""
MESSAGES = [
    "find open tickets about printers",
    "any open printer tickets in Berlin?",
    "search for printer problems that are still open",
    "which printer tickets are open right now?",
]


@dataclass
class Series:
    name: str
    checks: tuple[tuple[int, float], ...] = ()  # (percentile, limit ms) from the issue
    values: list[float] = field(default_factory=list)

    def stats(self) -> tuple[float, float, float]:
        ordered = sorted(self.values)
        return percentile(ordered, 50), percentile(ordered, 95), percentile(ordered, 99)

    @property
    def target(self) -> str:
        return ", ".join(f"p{p} ≤ {limit:g}" for p, limit in self.checks)

    @property
    def verdict(self) -> str:
        if not self.checks:
            return ""
        ordered = sorted(self.values)
        met = all(percentile(ordered, p) <= limit for p, limit in self.checks)
        return "met" if met else "**missed**"


def pool(pooled: list[Series], measured: Sequence[Series]) -> list[Series]:
    """Series of several rounds as one: the values of each round's same series together."""
    if not pooled:
        return list(measured)
    for into, more in zip(pooled, measured, strict=True):
        into.values.extend(more.values)
    return pooled


# --- processes ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


async def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(240):
            if proc.poll() is not None:
                raise SystemExit(f"{url}: process exited\n{_tail(log)}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.25)
    raise SystemExit(f"{url} did not come up\n{_tail(log)}")


class Process:
    """A child we started; stopped by its own PID only."""

    def __init__(
        self, cmd: list[str], env: dict[str, str], log: Path, *, stop_signal: int = signal.SIGTERM
    ) -> None:
        self.log = log
        self.stop_signal = stop_signal
        self._file = log.open("wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self._file, stderr=self._file)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._file.close()


async def start_server(
    stack: AsyncExitStack,
    env: dict[str, str],
    log: Path,
    port: int,
    *options: str,
    profile: str | None = None,
    pyinstrument: bool = False,
) -> tuple[str, Process]:
    """`deskpilot serve --no-access-log *options` on 127.0.0.1:`port` (under cProfile on CPU
    time into `profile`; with `pyinstrument`, a `profile` not ending in .prof is a
    pyinstrument report: run under `uv run --with pyinstrument python -m bench...`), stopped
    with `stack`: its base URL once it answers, and it."""
    serve = [
        str(BIN / "deskpilot"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        *options,
    ]
    if profile and pyinstrument and not profile.endswith(".prof"):
        renderer = {".html": "html", ".pyisession": "session"}.get(Path(profile).suffix, "text")
        serve = [sys.executable, "-m", "pyinstrument", "-r", renderer, "-o", profile, *serve]
    elif profile:
        serve = [sys.executable, "-c", CPROFILE_SERVER, profile, *serve]
    # uvicorn re-raises the signal after shutting down; SIGINT lets a profiler report
    server = Process(serve, env, log, stop_signal=signal.SIGINT if profile else signal.SIGTERM)
    stack.callback(server.stop)
    base = f"http://127.0.0.1:{port}"
    await _wait_http(f"{base}/api/health", server.proc, server.log)
    return base, server


async def start_fake_model(
    stack: AsyncExitStack, env: dict[str, str], log: Path, port: int, *options: str
) -> tuple[str, Process]:
    """bench/chat_fake_llm.py on 127.0.0.1:`port`, stopped with `stack`: its base URL once it
    answers, and it."""
    fake = Process(
        [sys.executable, "-m", "bench.chat_fake_llm", "--port", str(port), *options], env, log
    )
    stack.callback(fake.stop)
    url = f"http://127.0.0.1:{port}"
    await _wait_http(f"{url}/_bench/stats", fake.proc, fake.log)
    return url, fake


def fake_model_env(fake_url: str) -> dict[str, str]:
    """Settings pointing `deskpilot serve` at the fake model, titles off and the message
    rate out of the way."""
    return {
        "DESKPILOT_LLM_PROVIDER": "openai",
        "DESKPILOT_LLM_BASE_URL": f"{fake_url}/v1",
        "DESKPILOT_LLM_API_KEY": "bench",
        "DESKPILOT_LLM_MODEL": "bench-fake",
        "DESKPILOT_LLM_GENERATE_TITLES": "false",
        "DESKPILOT_CHAT_MESSAGES_PER_MINUTE": "1000000",
    }


def preparation_arguments(
    parser: argparse.ArgumentParser, *, database_url: str, sessions: int, long_messages: int
) -> None:
    """The options `prepare` reads."""
    parser.add_argument("--database-url", default=database_url)
    parser.add_argument("--reuse", action="store_true", help="keep a prepared bench database")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=sessions, help="seeded chat history")
    parser.add_argument("--long-messages", type=int, default=long_messages)


# --- preparation ----------------------------------------------------------------------


async def prepare(args: argparse.Namespace, env: dict[str, str]) -> uuid.UUID:
    url = plain_postgres_url(args.database_url)
    if args.reuse:
        conn = await asyncpg.connect(url)
        try:
            long_id = await conn.fetchval(
                "SELECT s.id FROM chat_sessions s JOIN users u ON u.id = s.user_id "
                "WHERE u.email = $1 AND s.title = $2",
                EMAIL,
                LONG_TITLE,
            )
        finally:
            await conn.close()
        if long_id is None:
            raise SystemExit("--reuse: the bench database is not prepared; run without --reuse")
        return long_id  # type: ignore[no-any-return]
    await ensure_database(url, recreate=True)
    _run([str(BIN / "deskpilot"), "migrate"], env)
    started = time.perf_counter()
    _run(
        [sys.executable, "-m", "bench.load_tickets", "--database-url", url,
         "--count", str(args.tickets), "--truncate"],
        env,
    )  # fmt: skip
    _run(
        [str(BIN / "deskpilot"), "create-user", "--email", EMAIL, "--name", "Chat Bench",
         "--password", PASSWORD, "--role", "agent"],
        env,
    )  # fmt: skip
    conn = await asyncpg.connect(url)
    try:
        user_id = await conn.fetchval("SELECT id FROM users WHERE email = $1", EMAIL)
        tickets = await sample_tickets(conn, 3000)
        await seed_sessions(conn, user_id=user_id, tickets=tickets, count=args.sessions)
        long_id = await seed_long_session(
            conn, user_id=user_id, tickets=tickets, messages=args.long_messages
        )
        await conn.execute("VACUUM ANALYZE chat_sessions")
        await conn.execute("VACUUM ANALYZE chat_messages")
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM tickets) AS tickets,"
            " (SELECT count(*) FROM chat_sessions) AS sessions,"
            " (SELECT count(*) FROM chat_messages) AS messages,"
            " (SELECT count(*) FROM chat_messages WHERE session_id = $1) AS long",
            long_id,
        )
    finally:
        await conn.close()
    print(
        f"prepared in {time.perf_counter() - started:.0f} s: {counts['tickets']} tickets, "
        f"{counts['sessions']} chat sessions, {counts['messages']} chat messages "
        f"({counts['long']} in the long session)",
        flush=True,
    )
    return long_id  # type: ignore[no-any-return]


# --- measurements ---------------------------------------------------------------------


class Bench:
    def __init__(self, client: httpx.AsyncClient, fake: httpx.AsyncClient) -> None:
        self.client = client
        self.fake = fake
        self.csrf = ""
        self.raw: RawConnection | None = None
        self.rng = random.Random(3)
        self.meter: CpuMeter | None = None
        self.cpu_before: dict[int, float] = {}
        self.cpu_after: dict[int, float] = {}
        self.timeline: dict[str, list[float]] = {}  # streamed turn: ms from request start
        self.conflicts = 0  # 409s: a send while the session's previous turn still ran
        self.offline = False  # the offline assistant answers: its replies name what it found

    def cpu_note(self, kind: str, turns: int, per_session: int) -> str:
        server_s, pg_s, xacts = CpuMeter.used(self.cpu_before, self.cpu_after)
        per = 1000 / turns
        return (
            f"Per {kind} (after warm-up; a new session every {per_session} turns included): server "
            f"process CPU {server_s * per:.1f} ms, PostgreSQL CPU {pg_s * per:.1f} ms, "
            f"{xacts * per / 1000:.1f} transactions. Other work on the machine during the "
            f"phase: {CpuMeter.others(self.cpu_before, self.cpu_after):.0%} of all CPUs."
        )

    async def login(self) -> None:
        r = await self.client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        r.raise_for_status()
        self.csrf = r.json()["csrf_token"]
        cookie = "; ".join(f"{name}={value}" for name, value in self.client.cookies.items())
        self.raw = RawConnection(str(self.client.base_url), cookie)

    async def post_raw(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        """A timed POST: httpx costs ~1 ms CPU per request on the CPUs the server shares,
        which would count as backend time; this keep-alive client costs ~0.1 ms."""
        assert self.raw is not None, "log in first"
        headers = (
            b"Content-Type: application/json\r\nX-Bench: chat\r\nX-CSRF-Token: "
            + self.csrf.encode()
            + b"\r\n"
        )
        return await self.raw.request(b"POST", path, json.dumps(body).encode(), headers)

    async def post(self, path: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return await self.client.post(path, json=body, headers=headers, **kw)

    async def fake_stats(self) -> dict[str, float]:
        return (await self.fake.get("/_bench/stats")).json()  # type: ignore[no-any-return]

    async def new_session(self) -> str:
        r = await self.post("/api/chat/sessions", {})
        r.raise_for_status()
        return str(r.json()["id"])

    def _message(self) -> dict[str, str]:
        return {"content": self.rng.choice(MESSAGES), "client_message_id": str(uuid.uuid4())}

    async def _sessions(
        self, n: int, per_session: int, warmup: int
    ) -> AsyncIterator[tuple[int, str, bool]]:
        """Each turn's index (the `warmup` turns first, negative), its session (a new one
        every `per_session` turns) and whether it opens it; the CPU meter is read before the
        first measured turn."""
        session = ""
        for i in range(-warmup, n):
            if i == 0:
                self.cpu_before = await self.meter.sample() if self.meter else {}
            opens = (i + warmup) % per_session == 0
            if opens:
                session = await self.new_session()
            yield i, session, opens

    async def turns(
        self, n: int, per_session: int, warmup: int
    ) -> tuple[Series, Series, Series, Series, Series]:
        total = Series("full turn, JSON: backend time added (all turns)", ((50, 15), (95, 40)))
        first = Series("↳ first turn of a session")
        later = Series("↳ later turns of a session")
        tool = Series("↳ of which search_tickets execution (tool's own duration_ms)")
        model = Series("↳ time inside the fake model per turn (subtracted)")
        async for i, session, opens in self._sessions(n, per_session, warmup):
            while True:
                before = await self.fake_stats()
                started = time.perf_counter()
                status, body = await self.post_raw(
                    f"/api/chat/sessions/{session}/messages", self._message()
                )
                elapsed = time.perf_counter() - started
                after = await self.fake_stats()
                if status != 409:
                    break
                self.conflicts += 1  # the previous turn still holds the session's lock
                await asyncio.sleep(0.005)
            if status != 200:
                raise SystemExit(f"turn failed: {status} {body[:500]!r}")
            reply = json.loads(body)
            calls = reply.get("tool_calls") or []
            if [c["name"] for c in calls] != ["search_tickets"] or calls[0]["status"] != "ok":
                raise SystemExit(f"unexpected tool calls: {calls}")
            if not reply["ticket_refs"] and not self.offline:
                raise SystemExit("the reply mentions #12 and #34 but has no ticket_refs")
            if i < 0:
                continue
            inside = after["busy_s"] - before["busy_s"]
            added = (elapsed - inside) * 1000
            total.values.append(added)
            (first if opens else later).values.append(added)
            tool.values.append(float(calls[0]["duration_ms"]))
            model.values.append(inside * 1000)
        self.cpu_after = await self.meter.sample() if self.meter else {}
        return total, first, later, tool, model

    async def streams(self, n: int, per_session: int, warmup: int) -> tuple[Series, Series]:
        gap = Series("streaming: model's first token → first text_delta at client", ((95, 10),))
        turn = Series("streaming: backend time added per turn (until `done`)")
        async for i, session, opens in self._sessions(n, per_session, warmup):
            headers = {"X-CSRF-Token": self.csrf, "Accept": "text/event-stream"}
            seen: list[str] = []
            first_text = 0.0
            while not seen:
                before = await self.fake_stats()
                started = time.perf_counter()
                async with self.client.stream(
                    "POST",
                    f"/api/chat/sessions/{session}/messages",
                    json=self._message(),
                    headers=headers,
                ) as r:
                    if r.status_code == 409:
                        self.conflicts += 1
                        await asyncio.sleep(0.005)
                        continue
                    if r.status_code != 200:
                        await r.aread()
                        raise SystemExit(f"stream failed: {r.status_code} {r.text[:500]}")
                    arrived: dict[str, float] = {}
                    async for line in r.aiter_lines():
                        if line.startswith("event: "):
                            name = line[7:]
                            now = time.perf_counter()
                            if name == "text_delta" and not first_text:
                                first_text = now
                            arrived.setdefault(name, now)
                            seen.append(name)
                elapsed = time.perf_counter() - started
                after = await self.fake_stats()
            if "assistant_message" not in seen or "error" in seen or not first_text:
                raise SystemExit(f"unexpected stream: {seen}")
            if i < 0:
                continue
            gap.values.append((first_text - after["first_text_sent"]) * 1000)
            turn.values.append((elapsed - (after["busy_s"] - before["busy_s"])) * 1000)
            if opens:  # the timeline follows the later turns (no title call)
                continue
            calls = [c for c in after["calls"] if c[0] >= started]
            marks = {f"client got `{k}`": v for k, v in arrived.items()}
            for number, (call_start, call_end) in enumerate(calls[:2], 1):
                marks[f"model call {number} starts"] = call_start
                marks[f"model call {number} ends"] = call_end
            marks["model writes first text"] = after["first_text_sent"]
            for mark, at in marks.items():
                self.timeline.setdefault(mark, []).append((at - started) * 1000)
        self.cpu_after = await self.meter.sample() if self.meter else {}
        return gap, turn

    async def timed_get(self, path: str) -> tuple[float, httpx.Response]:
        started = time.perf_counter()
        r = await self.client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            raise SystemExit(f"GET {path}: {r.status_code} {r.text[:300]}")
        return elapsed, r

    async def session_list(self, first_n: int, walks: int) -> tuple[Series, Series, int]:
        first = Series("session list, first page (limit 30)", ((95, 20),))
        deep = Series("session list, every later page via next_cursor", ((95, 20),))
        for _ in range(10):
            await self.timed_get("/api/chat/sessions?limit=30")
        for _ in range(first_n):
            ms, r = await self.timed_get("/api/chat/sessions?limit=30")
            first.values.append(ms)
        pages = 0
        for _ in range(walks):
            cursor = ""
            pages = 0
            while True:
                path = "/api/chat/sessions?limit=30" + (f"&cursor={cursor}" if cursor else "")
                ms, r = await self.timed_get(path)
                page = r.json()
                if not page["items"] or any(
                    it["last_message_preview"] is None for it in page["items"]
                ):
                    raise SystemExit(f"page {pages} without items or previews")
                pages += 1
                if pages > 1:
                    deep.values.append(ms)
                cursor = page["next_cursor"]
                if not cursor:
                    break
        return first, deep, pages

    async def open_long(
        self, session_id: uuid.UUID, n: int, message_ids: list[uuid.UUID]
    ) -> tuple[Series, Series, list[int], list[int]]:
        opened = Series("open 2,000-message session (latest 50)", ((95, 30),))
        back = Series("↳ page back: GET .../messages?before= (50, random depth)")
        sizes: list[int] = []
        back_sizes: list[int] = []
        path = f"/api/chat/sessions/{session_id}"
        for _ in range(10):
            await self.timed_get(path)
        for _ in range(n):
            ms, r = await self.timed_get(path)
            body = r.json()
            if len(body["messages"]) != 50 or not body["has_more"]:
                raise SystemExit("the long session did not open with 50 messages and has_more")
            opened.values.append(ms)
            sizes.append(len(r.content))
        for _ in range(n):
            before = self.rng.choice(message_ids[50:])
            ms, r = await self.timed_get(f"{path}/messages?before={before}&limit=50")
            back.values.append(ms)
            back_sizes.append(len(r.content))
        return opened, back, sizes, back_sizes


# --- report ---------------------------------------------------------------------------


def code_version(env: dict[str, str]) -> str:
    """Which backend the server imports (PYTHONPATH may point elsewhere), at which commit."""
    where = subprocess.run(
        [sys.executable, "-c", "import deskpilot, os; print(os.path.dirname(deskpilot.__file__))"],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if Path(where) != ROOT / "backend" / "deskpilot":
        return f"backend imported from {where}"
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "backend"], capture_output=True, text=True
    )
    return f"commit {head.stdout.strip()}" + (
        " with uncommitted changes in backend/" if dirty.stdout.strip() else ""
    )


def python_speed() -> str:
    """CPU time of a fixed pure-Python loop, best of three: this VM's speed varies over time
    (seen here: the same code and data 1.6x slower an hour later), so figures from
    different runs compare only alongside this."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return f"{best * 1000:.0f} ms CPU for a 2,000,000-step Python loop (best of 3)"


def print_machine_table(pg_version: str) -> None:
    print("| Machine | |")
    print("|---|---|")
    for key, value in machine_rows(pg_version):
        print(f"| {key} | {value} |")


def machine_rows(pg_version: str) -> list[tuple[str, str]]:
    return [
        ("nproc", str(os.cpu_count())),
        ("CPU", cpu_model()),
        ("Memory", memory_gib()),
        ("OS", f"Linux {platform.release()}"),
        ("Python", platform.python_version()),
        ("PostgreSQL", pg_version),
        ("Speed at the end of the run", python_speed()),
    ]


class CpuMeter:
    """CPU seconds used by the server process and the bench database's PostgreSQL backends:
    what a phase costs regardless of how busy the machine is."""

    def __init__(self, server_pid: int, fake_pid: int, database_url: str) -> None:
        self.server_pid = server_pid
        self.fake_pid = fake_pid
        self.url = plain_postgres_url(database_url)
        self.name = self.url.rsplit("/", 1)[1]

    @staticmethod
    def _cpu(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def sample(self) -> dict[int, float]:
        """CPU seconds by PostgreSQL backend PID; -1: the server, -2: the database's
        transaction count, -3: the fake model + this process, -4/-5: machine busy/total."""
        conn = await asyncpg.connect(self.url)
        try:
            await asyncio.sleep(1.1)  # PostgreSQL flushes backend statistics about every second
            pids = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                self.name,
            )
            await conn.execute("SELECT pg_stat_clear_snapshot()")
            xacts = await conn.fetchval(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1",
                self.name,
            )
        finally:
            await conn.close()
        cpu = {pid: self._cpu(pid) for pid in [r["pid"] for r in pids]}
        cpu[-1] = self._cpu(self.server_pid)
        cpu[-2] = float(xacts)
        own = os.times()
        cpu[-3] = self._cpu(self.fake_pid) + own.user + own.system
        cpu[-4], cpu[-5] = machine_cpu_busy_seconds()
        return cpu

    @staticmethod
    def others(before: dict[int, float], after: dict[int, float]) -> float:
        """Share of all CPUs used by other work (not this benchmark) between two samples."""
        mine = sum(v - before.get(pid, 0.0) for pid, v in after.items() if pid >= 0)
        mine += (after[-1] - before[-1]) + (after[-3] - before[-3])
        busy, total = after[-4] - before[-4], after[-5] - before[-5]
        return max(busy - mine, 0.0) / max(total, 1e-9)

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> tuple[float, float, float]:
        """(server CPU s, PostgreSQL CPU s, transactions) between two samples."""
        server = after[-1] - before[-1]
        postgres = sum(v - before.get(pid, 0.0) for pid, v in after.items() if pid >= 0)
        # the two samples' own sessions are counted too: two transactions each
        return server, postgres, after[-2] - before[-2] - 4


class QuietWait:
    """Other work on this small machine skews latencies: before each phase, wait (within one
    overall budget) until the rest of the machine uses less than `threshold` of all CPUs."""

    def __init__(self, threshold: float, budget_s: float) -> None:
        self.threshold = threshold
        self.deadline = time.monotonic() + budget_s
        self.seen: list[float] = []

    async def wait(self) -> None:
        busy = await background_busy(3.0)
        while busy > self.threshold and time.monotonic() < self.deadline:
            print(f"  machine {busy:.0%} busy with other work; waiting", flush=True)
            await asyncio.sleep(10)
            busy = await background_busy(3.0)
        self.seen.append(busy)


def timeline_table(timeline: dict[str, list[float]]) -> str:
    lines = [
        "| Streamed turn (not a session's first), median ms after the request is sent | ms |",
        "|---|---:|",
    ]
    for mark, values in sorted(timeline.items(), key=lambda kv: statistics.median(kv[1])):
        lines.append(f"| {mark} | {statistics.median(values):.1f} |")
    return "\n".join(lines)


def figures_table(series: list[Series]) -> str:
    lines = [
        "| Measurement | n | p50 ms | p95 ms | p99 ms | Target ms | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for s in series:
        p50, p95, p99 = s.stats()
        lines.append(
            f"| {s.name} | {len(s.values)} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {s.target} "
            f"| {s.verdict} |"
        )
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> None:
    require_loopback(args.database_url)
    env = {
        **os.environ,
        "DESKPILOT_DATABASE_URL": args.database_url,
        "DESKPILOT_ENVIRONMENT": "development",
    }
    long_id = await prepare(args, env)
    conn = await asyncpg.connect(plain_postgres_url(args.database_url))
    try:
        message_ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM chat_messages WHERE session_id = $1 ORDER BY seq DESC", long_id
            )
        ]
        # sessions left by the turns of an earlier run (--reuse) would top the list; one it
        # created just before it was stopped has no title yet (the seeded ones all have)
        await conn.execute(
            "DELETE FROM chat_sessions WHERE title = ANY($1::text[]) OR title IS NULL",
            [TITLE, *MESSAGES],
        )
        # What autovacuum would do on a real server; this machine's PostgreSQL runs with
        # autovacuum off, and the dead rows of earlier runs slowed every later one.
        await conn.execute("VACUUM ANALYZE chat_sessions")
        await conn.execute("VACUUM ANALYZE chat_messages")
        sizes_row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM tickets) AS tickets,"
            " (SELECT count(*) FROM chat_sessions s JOIN users u ON u.id = s.user_id"
            "  WHERE u.email = $1) AS sessions",
            EMAIL,
        )
    finally:
        await conn.close()

    fake_port, port = _free_port(), args.port or _free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env |= {
        "DESKPILOT_LLM_PROVIDER": args.provider,
        "DESKPILOT_LLM_BASE_URL": f"{fake_url}/v1",
        "DESKPILOT_LLM_API_KEY": "bench",
        "DESKPILOT_LLM_MODEL": "bench-fake" if args.provider == "openai" else "",
        "DESKPILOT_CHAT_MESSAGES_PER_MINUTE": "1000000",
    }
    logs = Path(args.log_dir)
    async with AsyncExitStack() as stack:
        _, fake_proc = await start_fake_model(stack, env, logs / "chat-bench-fake.log", fake_port)
        base, server = await start_server(
            stack,
            env,
            logs / "chat-bench-server.log",
            port,
            profile=args.profile_server,
            pyinstrument=True,
        )
        client = await stack.enter_async_context(
            httpx.AsyncClient(base_url=base, timeout=30, headers={"X-Bench": "chat"})
        )
        fake = await stack.enter_async_context(httpx.AsyncClient(base_url=fake_url, timeout=5))
        bench = Bench(client, fake)
        bench.offline = args.provider == "offline"
        await bench.login()

        only = set(args.only.split(","))
        all_series: list[Series] = []
        notes: list[str] = []
        quiet = QuietWait(args.quiet_threshold, args.max_wait_quiet)
        bench.meter = CpuMeter(server.proc.pid, fake_proc.proc.pid, args.database_url)
        if "turns" in only:
            pooled: list[Series] = []
            round_p50s: list[str] = []
            for number in range(1, args.rounds + 1):
                if number > 1:
                    await asyncio.sleep(args.round_pause)
                    assert bench.raw is not None
                    await bench.raw.close()  # idle longer than the server keeps it open
                await quiet.wait()
                print(f"measuring: full turns (JSON), round {number} ...", flush=True)
                measured = await bench.turns(args.turns, args.turns_per_session, warmup=10)
                pooled = pool(pooled, measured)
                round_p50s.append(f"{measured[0].stats()[0]:.1f}")
                notes.append(bench.cpu_note("JSON turn", args.turns, args.turns_per_session))
            all_series += pooled
            if args.rounds > 1:
                notes.append(
                    f"JSON turns: {args.rounds} rounds of {args.turns}, "
                    f"{args.round_pause:g} s apart, pooled above; "
                    f"p50 of each round (ms): {', '.join(round_p50s)}."
                )
        if "stream" in only:
            await quiet.wait()
            print("measuring: streaming turns ...", flush=True)
            all_series += await bench.streams(args.turns, args.turns_per_session, warmup=10)
            notes.append(bench.cpu_note("streamed turn", args.turns, args.turns_per_session))
        if "list" in only:
            await quiet.wait()
            print("measuring: session list ...", flush=True)
            first, deep, pages = await bench.session_list(args.requests, args.walks)
            all_series += [first, deep]
            notes.append(f"Session list: {pages} pages of 30 per walk, {args.walks} walk(s).")
        if "open" in only:
            await quiet.wait()
            print("measuring: open long session ...", flush=True)
            opened, back, sizes, back_sizes = await bench.open_long(
                long_id, args.requests, message_ids
            )
            all_series += [opened, back]
            notes.append(
                f"Long session opened: {statistics.median(sizes):,.0f} bytes median response "
                f"(max {max(sizes):,}; target < 200 KB: "
                f"{'met' if max(sizes) < 200_000 else '**missed**'}); page back median "
                f"{statistics.median(back_sizes):,.0f} bytes."
            )
        if bench.timeline:
            notes.append(timeline_table(bench.timeline))
        if bench.conflicts:
            notes.append(
                f"{bench.conflicts} send(s) got 409 because the previous turn of the session "
                "still held its lock (retried after 5 ms; only the successful send is timed)."
            )

    pg = await postgres_version(args.database_url)
    print()
    print(
        f"## Chat backend figures ({sizes_row['tickets']:,} tickets; the bench user has "
        f"{sizes_row['sessions']:,} sessions before the turns add theirs)"
    )
    print()
    print(f"Code: {code_version(env)}; model: {args.provider}.")
    print()
    print(figures_table(all_series))
    print()
    for note in notes:
        print(note)
        print()
    busy = ", ".join(f"{b:.0%}" for b in quiet.seen)
    print(
        f"Other work on the machine just before each phase: {busy} of all CPUs"
        + (" (busy: latencies are pessimistic)" if max(quiet.seen) > args.quiet_threshold else "")
        + f"; load average after: {os.getloadavg()[0]:.2f}."
    )
    print()
    print_machine_table(pg)


def main() -> None:
    parser = argparse.ArgumentParser(description="Chat backend benchmark (127.0.0.1 only).")
    preparation_arguments(parser, database_url=DEFAULT_DB, sessions=10_000, long_messages=2_000)
    parser.add_argument("--turns", type=int, default=300, help="measured turns per mode")
    parser.add_argument("--turns-per-session", type=int, default=10)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="rounds of JSON turns, pooled (this VM's speed drifts from minute to minute)",
    )
    parser.add_argument("--round-pause", type=float, default=20, help="seconds between rounds")
    parser.add_argument("--requests", type=int, default=300, help="measured GETs per kind")
    parser.add_argument("--walks", type=int, default=2, help="full walks of the session list")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument(
        "--provider",
        choices=("openai", "offline"),
        default="openai",
        help="the model behind the turns: the instant fake (OpenAI wire format) or the "
        "built-in offline assistant",
    )
    parser.add_argument(
        "--only", default="turns,stream,list,open", help="comma list of: turns,stream,list,open"
    )
    parser.add_argument(
        "--profile-server",
        metavar="PATH",
        help="profile the server into PATH: .prof = cProfile on CPU time (stdlib); .html, "
        ".pyisession or other = pyinstrument (run the bench with `uv run --with pyinstrument "
        "python -m bench.chat_bench ...`)",
    )
    parser.add_argument(
        "--max-wait-quiet",
        type=float,
        default=600,
        help="seconds (in all) to wait for the machine to be quiet before the phases",
    )
    parser.add_argument("--quiet-threshold", type=float, default=0.25)
    parser.add_argument("--log-dir", default="/tmp/deskpilot-chat-bench")
    args = parser.parse_args()
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    run_async(lambda: run(args))


if __name__ == "__main__":
    main()
