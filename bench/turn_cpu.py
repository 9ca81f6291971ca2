"""Server CPU of one chat turn, in-process: the ASGI app called directly (no HTTP client, no
uvicorn), the fake model (bench.chat_fake_llm, instant) a real HTTP server on 127.0.0.1.

    uv run python -m bench.turn_cpu --database-url postgresql://postgres@127.0.0.1:5432/deskpilot_turns_bench \
        [--turns 200] [--rounds 3] [--only json-tool sse-text] [--profile sse-tool]

Needs a database prepared by bench.turns_bench or bench.chat_bench (their bench user). Four
kinds of `POST /api/chat/sessions/{id}/messages`, each in a new chat (created before the
measured turns, titles off as in the benches): the JSON and the SSE reply, to a model that
answers in text at once (`*-text`) or first calls `search_tickets` (`*-tool`: two model
calls). For each kind, `--rounds` rounds of `--turns` turns one after another; prints the
process CPU per turn (median of the turns, and of the rounds' means: whatever runs after a
JSON reply is sent lands in the next turn's figure, the rounds' mean counts it once) and
the SQL statements per turn. Only this process's CPU: the fake model and PostgreSQL run
elsewhere. `--profile KIND` runs that kind under pyinstrument
(`uv run --with pyinstrument ...`) and prints the call tree (wall time); `--cprofile KIND
PATH` under cProfile on process CPU time. `--concurrent N --delay S`: rounds of N turns
sent at once to a model that waits S seconds before each answer (as bench.turns_bench,
without HTTP, ticket lists or metrics scrapes). 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bench.chat_bench import EMAIL, PASSWORD, _free_port, fake_model_env, start_fake_model
from bench.common import plain_postgres_url, require_loopback, run_async
from bench.profile_requests import Caller

KINDS = {
    # kind: (Accept header, the message)
    "json-text": (b"application/json", "say: hello, what can you do?"),
    "json-tool": (b"application/json", "find open tickets about printers"),
    "sse-text": (b"text/event-stream", "say: hello, what can you do?"),
    "sse-tool": (b"text/event-stream", "find open tickets about printers"),
}


class TurnCaller(Caller):
    """Caller with an Accept header and the CSRF token."""

    accept = b"*/*"
    csrf = b""

    async def request(
        self, method: str, path: str, body: bytes = b""
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        app = self.app

        async def with_headers(scope: dict[str, Any], receive: Any, send: Any) -> None:
            headers = [h for h in scope["headers"] if h[0] != b"accept"]
            headers += [(b"accept", self.accept), (b"x-csrf-token", self.csrf)]
            await app({**scope, "headers": headers}, receive, send)

        self.app = with_headers
        try:
            return await super().request(method, path, body)
        finally:
            self.app = app


class StatementCounter:
    """Statements this process sends to PostgreSQL through asyncpg: extended-protocol
    executions on a connection (fetch*, execute with arguments: the raw SQL of the turn) or
    of a prepared statement (SQLAlchemy's asyncpg dialect), and simple queries."""

    def __init__(self) -> None:
        self.count = 0

    def install(self) -> None:
        from asyncpg import connection, prepared_stmt

        counter = self

        def counted(cls: Any, name: str, only_without_args: bool = False) -> None:
            original = getattr(cls, name)

            def wrapped(self: Any, *a: Any, **kw: Any) -> Any:
                if not only_without_args or len(a) <= 1:
                    counter.count += 1
                return original(self, *a, **kw)

            setattr(cls, name, wrapped)

        counted(connection.Connection, "_execute")
        counted(connection.Connection, "execute", only_without_args=True)  # else via _execute
        counted(prepared_stmt.PreparedStatement, "_PreparedStatement__bind_execute")


async def new_chats(caller: TurnCaller, n: int) -> list[str]:
    caller.accept = b"application/json"
    chats = []
    for _ in range(n):
        status, body, _ = await caller.request("POST", "/api/chat/sessions", b"{}")
        if status != 201:
            raise SystemExit(f"new chat: HTTP {status} {body[:200]!r}")
        chats.append(json.loads(body)["id"])
    return chats


async def turns(caller: TurnCaller, kind: str, chats: list[str]) -> list[float]:
    """Each turn's process CPU, ms."""
    accept, content = KINDS[kind]
    out = []
    for chat in chats:
        caller.accept = accept
        body = json.dumps({"content": content}).encode()
        c0 = time.process_time()
        status, reply, _ = await caller.request("POST", f"/api/chat/sessions/{chat}/messages", body)
        out.append((time.process_time() - c0) * 1000)
        if status != 200:
            raise SystemExit(f"{kind}: HTTP {status} {reply[:300]!r}")
        if accept == b"text/event-stream" and b"event: assistant_message" not in reply:
            raise SystemExit(f"{kind}: no assistant_message in {reply[-300:]!r}")
    await asyncio.sleep(0.05)  # the last turn's task finishes (its lease given back)
    return out


async def together(caller: TurnCaller, kind: str, chats: list[str]) -> None:
    """The turns all at once (each on its own copy of the caller: its Accept header)."""
    accept, content = KINDS[kind]
    body = json.dumps({"content": content}).encode()

    async def one(chat: str) -> None:
        own = TurnCaller(caller.app)
        own.cookie, own.csrf, own.accept = caller.cookie, caller.csrf, accept
        status, reply, _ = await own.request("POST", f"/api/chat/sessions/{chat}/messages", body)
        if status != 200:
            raise SystemExit(f"{kind}: HTTP {status} {reply[:300]!r}")

    await asyncio.gather(*(one(chat) for chat in chats))
    await asyncio.sleep(0.2)  # the last turns' tasks finish (their leases given back)


async def measure_together(
    caller: TurnCaller, kinds: list[str], args: argparse.Namespace, counter: StatementCounter
) -> None:
    print(f"\n{args.concurrent} turns at once, the model waiting {args.delay:g} s a call:\n")
    print("| kind | turns | CPU ms/turn, median of rounds (min) | SQL statements/turn |")
    print("|---|---:|---:|---:|")
    for kind in kinds:
        means, statements = [], 0
        for _ in range(args.rounds):
            chats = await new_chats(caller, args.concurrent)
            c0, s0 = time.process_time(), counter.count
            await together(caller, kind, chats)
            means.append((time.process_time() - c0) * 1000 / args.concurrent)
            statements += counter.count - s0
        print(
            f"| {kind} | {args.concurrent * args.rounds} | {statistics.median(means):.2f} "
            f"({min(means):.2f}) | {statements / (args.concurrent * args.rounds):.1f} |",
            flush=True,
        )


async def main_async(args: argparse.Namespace) -> None:
    url = plain_postgres_url(args.database_url)
    env = {**os.environ, "DESKPILOT_DATABASE_URL": url, "DESKPILOT_ENVIRONMENT": "development"}
    async with AsyncExitStack() as stack:
        fake_port = _free_port()
        delay = ("--delay", str(args.delay)) if args.concurrent else ()
        await start_fake_model(
            stack, env, Path(args.log_dir) / "turn-cpu-fake.log", fake_port, *delay
        )
        os.environ.update(
            {
                "DESKPILOT_DATABASE_URL": url,
                "DESKPILOT_ENVIRONMENT": "development",
                "DESKPILOT_LOG_LEVEL": "warning",
                # one agent sends them all (bench.turns_bench: 3 each from 70 agents)
                "DESKPILOT_CHAT_MAX_CONCURRENT_STREAMS": str(max(3, args.concurrent)),
                **fake_model_env(f"http://127.0.0.1:{fake_port}"),
            }
        )
        counter = StatementCounter()
        counter.install()
        from deskpilot.main import create_app

        app = create_app()
        caller = TurnCaller(app)
        async with app.router.lifespan_context(app):
            status, body, headers = await caller.request(
                "POST",
                "/api/auth/login",
                json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
            )
            if status != 200:
                raise SystemExit(f"login failed: {status}")
            cookies = [v.split(b";", 1)[0] for k, v in headers if k.lower() == b"set-cookie"]
            caller.cookie = b"; ".join(cookies)
            caller.csrf = json.loads(body)["csrf_token"].encode()
            selected = [k for k in KINDS if not args.only or k in args.only]
            if args.concurrent:
                await new_chats(caller, 1)  # warm
                await measure_together(caller, selected, args, counter)
                return
            print(
                f"| kind | turns | CPU ms/turn, median of turns | CPU ms/turn, median of "
                f"{args.rounds} rounds' means (min) | SQL statements/turn |"
            )
            print("|---|---:|---:|---:|---:|")
            for kind in selected:
                await turns(caller, kind, await new_chats(caller, args.warmup))
                per_turn: list[float] = []
                means: list[float] = []
                statements = 0
                for _ in range(args.rounds):
                    chats = await new_chats(caller, args.turns)
                    c0, s0 = time.process_time(), counter.count
                    per_turn += await turns(caller, kind, chats)
                    means.append((time.process_time() - c0) * 1000 / args.turns)
                    statements += counter.count - s0
                print(
                    f"| {kind} | {len(per_turn)} | {statistics.median(per_turn):.2f} | "
                    f"{statistics.median(means):.2f} ({min(means):.2f}) | "
                    f"{statements / len(per_turn):.1f} |",
                    flush=True,
                )
            if args.profile:
                from pyinstrument import Profiler

                chats = await new_chats(caller, args.turns)
                profiler = Profiler(interval=0.0002, async_mode="disabled")
                profiler.start()
                await turns(caller, args.profile, chats)
                profiler.stop()
                print(profiler.output_text(unicode=True, color=False, show_all=False))
            if args.cprofile:
                import cProfile
                import pstats

                kind, path = args.cprofile
                chats = await new_chats(caller, args.turns)
                # On process CPU time: waiting (and other work on the machine) is not counted.
                cprofiler = cProfile.Profile(time.process_time)
                cprofiler.enable()
                await turns(caller, kind, chats)
                cprofiler.disable()
                cprofiler.dump_stats(path)
                stats = pstats.Stats(path)
                stats.sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/deskpilot_turns_bench"
    )
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--only", nargs="*", choices=sorted(KINDS), help="these kinds only")
    parser.add_argument(
        "--concurrent",
        type=int,
        default=0,
        help="instead: rounds of this many turns sent at once, the model waiting --delay",
    )
    parser.add_argument("--delay", type=float, default=2.0, help="with --concurrent: seconds")
    parser.add_argument("--profile", choices=sorted(KINDS), help="profile this kind")
    parser.add_argument(
        "--cprofile",
        nargs=2,
        metavar=("KIND", "PATH"),
        help="cProfile (on process CPU time) this kind into PATH; prints the top functions",
    )
    parser.add_argument("--log-dir", default="/tmp/deskpilot-turn-cpu")
    args = parser.parse_args()
    require_loopback(args.database_url)
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    run_async(lambda: main_async(args))


if __name__ == "__main__":
    main()
