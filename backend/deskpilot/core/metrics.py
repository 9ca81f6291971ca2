"""The Prometheus metrics (the official prometheus-client): what is measured, and how a scrape
reads it.

One server process keeps its values in memory (prometheus-client's default registry). With
several (`deskpilot serve --workers N`, or `--reload`), `serve` sets PROMETHEUS_MULTIPROC_DIR
before the workers start, so each keeps its values in files there (prometheus-client's
multiprocess mode, chosen when the library is imported) and a scrape, answered by any of
them, adds the files up. Gauges count live processes only: the files of a worker that died
are dropped at the next scrape; its counters and histograms stay in the totals.

Label values are bounded: routes are templates (`/api/tickets/{ref}`), tool names outside
the registry count as `unknown`, models and providers come from the settings.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Seconds. Requests: the API's targets are 15-50 ms, a streamed reply lasts a turn.
HTTP_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
MODEL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 90, 120)
TOOL_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)

http_request_duration = Histogram(
    "deskpilot_http_request_duration_seconds",
    "HTTP requests by method, route template and status, until the response's last byte",
    ("method", "route", "status"),
    buckets=HTTP_BUCKETS,
)
model_call_duration = Histogram(
    "deskpilot_model_call_duration_seconds",
    "Model calls (kind: stream for a chat round, complete for a title), retries included",
    ("provider", "model", "kind", "outcome"),
    buckets=MODEL_BUCKETS,
)
model_call_errors = Counter(
    "deskpilot_model_call_errors",
    "Model calls that failed after their retries, by error code",
    ("provider", "model", "code"),
)
model_tokens = Counter(
    "deskpilot_model_tokens",
    "Tokens the provider reported, by direction (input: the prompt, output: the answer)",
    ("provider", "model", "direction"),
)
tool_call_duration = Histogram(
    "deskpilot_tool_call_duration_seconds",
    "The copilot's tool calls by tool and outcome (ok, error, refused)",
    ("tool", "outcome"),
    buckets=TOOL_BUCKETS,
)
chat_turns = Counter(
    "deskpilot_chat_turns",
    "Chat turns by how they ended (complete, failed, incomplete, replayed)",
    ("outcome",),
)
active_turns = Gauge(
    "deskpilot_chat_active_turns",
    "Chat replies being generated now",
    multiprocess_mode="livesum",
)
db_connections_in_use = Gauge(
    "deskpilot_db_connections_in_use",
    "Pooled database connections checked out now",
    multiprocess_mode="livesum",
)
db_connections_open = Gauge(
    "deskpilot_db_connections_open",
    "Database connections the pools hold open (in use or idle)",
    multiprocess_mode="livesum",
)
db_connections_max = Gauge(
    "deskpilot_db_connections_max",
    "The most connections the pools may open (pool size plus overflow, per process)",
    multiprocess_mode="livesum",
)


@contextmanager
def active_turn() -> Iterator[None]:
    active_turns.inc()
    try:
        yield
    finally:
        active_turns.dec()


def watch_pool(engine: AsyncEngine, *, limit: int) -> None:
    """Count the engine's connections through its pool's events (no polling)."""
    pool = engine.sync_engine.pool

    def checked_out(*_: Any) -> None:
        db_connections_in_use.inc()

    def checked_in(*_: Any) -> None:
        db_connections_in_use.dec()

    def opened(*_: Any) -> None:
        db_connections_open.inc()

    def closed(*_: Any) -> None:
        db_connections_open.dec()

    event.listen(pool, "checkout", checked_out)
    event.listen(pool, "checkin", checked_in)
    event.listen(pool, "connect", opened)
    event.listen(pool, "close", closed)
    event.listen(pool, "close_detached", closed)
    db_connections_max.inc(limit)


def unwatch_pool(*, limit: int) -> None:
    """The engine is disposed: its connections are closed (their events counted them)."""
    db_connections_max.dec(limit)


# ---------------------------------------------------------------- reading them


class _LiveProcesses:
    """Adds up the multiprocess files, first dropping the gauges of processes that died (a
    killed worker runs no exit hook, and its values would count for ever)."""

    def __init__(self, directory: str) -> None:
        self._directory = directory
        self._files = multiprocess.MultiProcessCollector(None, path=directory)  # type: ignore[no-untyped-call]

    def collect(self) -> Iterable[Metric]:
        for path in Path(self._directory).glob("gauge_live*_*.db"):
            pid = path.stem.rsplit("_", 1)[-1]
            if pid.isdigit() and not psutil.pid_exists(int(pid)):
                multiprocess.mark_process_dead(int(pid), self._directory)  # type: ignore[no-untyped-call]
        metrics: Iterable[Metric] = self._files.collect()  # type: ignore[no-untyped-call]
        return metrics


def registry() -> CollectorRegistry:
    """What a scrape reads: this process's values, or every worker's in multiprocess mode."""
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return REGISTRY
    combined = CollectorRegistry()
    combined.register(_LiveProcesses(directory))
    return combined


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def leave_multiprocess_dir() -> None:
    """At a worker's normal exit: its live gauges no longer count."""
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        multiprocess.mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]
