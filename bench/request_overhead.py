"""What the per-request observation costs (api/request_log.py: request id, metrics, log line),
apart from everything else a request does.

    uv run python -m bench.request_overhead [--requests 20000] [--rounds 7]

A small FastAPI app with the same nesting as Deskpilot's (`/api` router including a
`/tickets` router, route `/{ref}`, a JSON answer, no database) is called in-process, without
HTTP, three ways: bare; wrapped in RequestLog with logging off (request id and metrics
only, as with `serve --no-access-log`); and wrapped with logging as `serve` configures it
(JSON, INFO) into a file. Reports the process CPU per request of the cheapest round (load
from other processes only ever adds), and the differences: the cost to set against the
1.3-3 ms of CPU a ticket list or get takes (bench.profile_requests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.config
import tempfile
import time
from typing import Any

from fastapi import APIRouter, FastAPI

from deskpilot.api.request_log import RequestLog
from deskpilot.core.logs import HANDLER, logging_config


def build_app(observed: bool) -> Any:
    tickets = APIRouter(prefix="/tickets")

    @tickets.get("/{ref}")
    async def get_ticket(ref: int) -> dict[str, Any]:
        return {"number": ref, "title": "Printer jammed", "status": "open"}

    api = APIRouter(prefix="/api")
    api.include_router(tickets)
    app = FastAPI()
    app.include_router(api)
    if observed:
        app.add_middleware(RequestLog)
    return app


async def call(app: Any, path: str) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    await app(scope, receive, send)


async def cpu_per_request(app: Any, requests: int, rounds: int) -> float:
    for n in range(200):
        await call(app, f"/api/tickets/{n}")
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for n in range(requests):
            await call(app, f"/api/tickets/{n}")
        best = min(best, (time.process_time() - start) / requests)
    return best * 1e6


def log_to(path: str) -> None:
    config = logging_config(log_format="json", level="info")
    handler = {**config["handlers"][HANDLER], "class": "logging.FileHandler", "filename": path}
    del handler["stream"]
    config["handlers"][HANDLER] = handler
    logging.config.dictConfig(config)


async def main_async(args: argparse.Namespace) -> None:
    bare = await cpu_per_request(build_app(False), args.requests, args.rounds)
    quiet = await cpu_per_request(build_app(True), args.requests, args.rounds)
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as log:
        log_to(log.name)
        logged = await cpu_per_request(build_app(True), args.requests, args.rounds)
        logging.getLogger().handlers.clear()
    print(f"| app | CPU µs/req (min of {args.rounds} rounds of {args.requests}) | added |")
    print("|---|---:|---:|")
    print(f"| bare (routing, one JSON answer) | {bare:.1f} | |")
    print(f"| + request id and metrics (no log) | {quiet:.1f} | {quiet - bare:+.1f} |")
    print(f"| + JSON log line per request, to a file | {logged:.1f} | {logged - bare:+.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
