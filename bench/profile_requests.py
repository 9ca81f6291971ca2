"""Server CPU per request, in-process: the ASGI app called directly, without HTTP or a client.

    uv run python -m bench.profile_requests --database-url postgresql://postgres@127.0.0.1:5432/deskpilot_bench \
        --email bench@example.com --password bench-password-1 [--requests 300] [--profile list]

For each request kind, sends `--requests` requests one after another to the app (the same
paths as bench.http_bench), `--rounds` times, and reports the process CPU per request of
the cheapest round (other load on the machine only ever adds to it): the Python side of
a request (routing, dependencies, SQLAlchemy, asyncpg, Pydantic, JSON) without uvicorn's
HTTP handling, the client, or PostgreSQL's own CPU. `--log FILE` writes the JSON request log
as `deskpilot serve` does (its cost included). `--profile KIND` runs that kind under
pyinstrument (`uv run --with pyinstrument ...`) and prints the call tree. 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

from bench.common import require_loopback, run_async
from bench.http_bench import build_kinds

SIMPLE_KINDS = {
    "health": "/api/health",
    "me": "/api/auth/me",
}


def _fixed(path: str) -> Callable[[random.Random], str]:
    return lambda _rng: path


class Caller:
    """Calls an ASGI app with a GET and returns (status, body); keeps a cookie header."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cookie = b""

    async def request(
        self, method: str, path: str, body: bytes = b""
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        raw_path, _, query = path.partition("?")
        headers = [(b"host", b"127.0.0.1"), (b"accept", b"*/*")]
        if self.cookie:
            headers.append((b"cookie", self.cookie))
        if body:
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": raw_path,
            "raw_path": raw_path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8765),
            "state": {},
        }
        sent = False
        status = 0
        out: list[bytes] = []
        response_headers: list[tuple[bytes, bytes]] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(out), response_headers


def _log_like_serve(path: str) -> None:
    """The logging `serve` configures (core/logs.py), its stream sent to `path`."""
    import logging.config

    from deskpilot.core.logs import HANDLER, logging_config

    config = logging_config(log_format="json", level="info")
    config["handlers"][HANDLER] = {
        **config["handlers"][HANDLER],
        "class": "logging.FileHandler",
        "filename": path,
    }
    del config["handlers"][HANDLER]["stream"]
    logging.config.dictConfig(config)


async def main_async(args: argparse.Namespace) -> None:
    os.environ["DESKPILOT_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DESKPILOT_ENVIRONMENT", "development")
    if args.log:
        _log_like_serve(args.log)
    from deskpilot.main import create_app

    app = create_app()
    caller = Caller(app)
    async with app.router.lifespan_context(app):
        status, _, headers = await caller.request(
            "POST",
            "/api/auth/login",
            json.dumps({"email": args.email, "password": args.password}).encode(),
        )
        if status != 200:
            raise SystemExit(f"login failed: {status}")
        cookies = [v.split(b";", 1)[0] for k, v in headers if k.lower() == b"set-cookie"]
        caller.cookie = b"; ".join(cookies)
        status, body, _ = await caller.request("GET", "/api/tickets?limit=1")
        newest = int(json.loads(body)["items"][0]["number"])
        kinds: list[tuple[str, Callable[[random.Random], str]]] = [
            (name, _fixed(path)) for name, path in SIMPLE_KINDS.items()
        ]
        kinds += [(k.name, k.path) for k in build_kinds(newest)]
        selected = [(n, p) for n, p in kinds if not args.only or any(o in n for o in args.only)]
        print(f"| kind | n | CPU ms/req (min of {args.rounds} rounds) | wall ms/req (min) |")
        print("|---|---:|---:|---:|")
        for name, path in selected:
            rng = random.Random(1)
            for _ in range(20):
                await caller.request("GET", path(rng))
            cpu_rounds, wall_rounds = [], []
            for _ in range(args.rounds):
                c0, w0 = time.process_time(), time.perf_counter()
                for _ in range(args.requests):
                    status, _, _ = await caller.request("GET", path(rng))
                    if status != 200:
                        raise SystemExit(f"{name}: HTTP {status}")
                cpu_rounds.append((time.process_time() - c0) * 1000 / args.requests)
                wall_rounds.append((time.perf_counter() - w0) * 1000 / args.requests)
            print(
                f"| {name} | {args.requests * args.rounds} | {min(cpu_rounds):.2f} "
                f"| {min(wall_rounds):.2f} |",
                flush=True,
            )
        if args.profile:
            from pyinstrument import Profiler

            name, path = next((n, p) for n, p in kinds if args.profile in n)
            rng = random.Random(2)
            profiler = Profiler(interval=0.0002, async_mode="disabled")
            profiler.start()
            for _ in range(args.requests):
                await caller.request("GET", path(rng))
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="kinds whose name contains one of these")
    parser.add_argument(
        "--log",
        help="log as `deskpilot serve` does (JSON, INFO: a line per request) into this file",
    )
    parser.add_argument("--profile", help="profile the first kind whose name contains this")
    args = parser.parse_args()
    require_loopback(args.database_url)
    run_async(lambda: main_async(args))


if __name__ == "__main__":
    main()
