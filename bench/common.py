"""Helpers shared by the benchmark scripts: URLs, percentiles, machine description."""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

T = TypeVar("T")


def run_async(coro_factory: Callable[[], Coroutine[Any, Any, T]], *, use_uvloop: bool = True) -> T:
    """Run the coroutine `coro_factory()` makes on uvloop if it is installed, else on asyncio.

    Only the import of uvloop falls back: an ImportError raised while the coroutine runs
    propagates instead of quietly running the whole thing a second time under asyncio.
    """
    if use_uvloop:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            return uvloop.run(coro_factory())
    return asyncio.run(coro_factory())


def run_bench(
    parser: argparse.ArgumentParser,
    run: Callable[[argparse.Namespace], Coroutine[Any, Any, None]],
) -> None:
    """Parse the command line (which has `--log-dir`), make the log directory, and run."""
    args = parser.parse_args()
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    run_async(lambda: run(args))


def plain_postgres_url(url: str) -> str:
    """asyncpg wants postgresql://; accept the SQLAlchemy spelling too."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or "localhost"
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        raise SystemExit(f"refusing to target {host}: benchmarks run against 127.0.0.1 only")


async def ensure_database(url: str, *, recreate: bool) -> bool:
    """Create the database named in `url` on its server; return True if it was created."""
    url = plain_postgres_url(url)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"unexpected database name {name!r}")
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and recreate:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
            return True
        return False
    finally:
        await admin.close()


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


async def postgres_version(url: str | None) -> str:
    if not url:
        return "unknown"
    conn = await asyncpg.connect(plain_postgres_url(url))
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


async def machine_description(database_url: str | None) -> str:
    return (
        f"{len(os.sched_getaffinity(0))} CPUs ({cpu_model()}), {memory_gib()} RAM, "
        f"Linux {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {await postgres_version(database_url)}"
    )


_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields after "pid (comm)"


def process_tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU of a process and all its live descendants (uvicorn workers)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is None:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    total = 0.0
    for pid in cpu:
        p = pid
        while p > 1 and p != root_pid:
            p = parents.get(p, 0)
        if p == root_pid:
            total += cpu[pid]
    return total


def machine_cpu_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds summed over all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


async def background_busy(seconds: float) -> float:
    """Share of all CPUs busy over `seconds` while this benchmark is idle (0-1)."""
    busy0, total0 = machine_cpu_busy_seconds()
    await asyncio.sleep(seconds)
    busy1, total1 = machine_cpu_busy_seconds()
    return (busy1 - busy0) / max(total1 - total0, 1e-9)


def _tcp_sockets(port: int) -> tuple[set[int], dict[int, int]]:
    """Inodes of sockets listening on `port`, and {inode: peer port} of its established ones."""
    listening: set[int] = set()
    established: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port != port:
                continue
            state, inode = fields[3], int(fields[9])
            if state == "0A":
                listening.add(inode)
            elif state == "01":
                established[inode] = int(fields[2].rsplit(":", 1)[1], 16)
    return listening, established


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    except OSError:
        pass
    return inodes


def _process_tree(root_pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    tree = []
    for pid in parents:
        p = pid
        while p > 1 and p != root_pid:
            p = parents.get(p, 0)
        if p == root_pid:
            tree.append(pid)
    return tree


def server_connections(root_pid: int, port: int) -> dict[int, set[int]]:
    """{server process: peer (client) ports of its established connections on `port`} for
    every process of the tree under root_pid that accepts connections (the uvicorn workers,
    or the server itself with one worker)."""
    listening, established = _tcp_sockets(port)
    holders = {pid: _socket_inodes(pid) for pid in _process_tree(root_pid)}
    workers = [pid for pid, inodes in holders.items() if inodes & listening]
    if len(workers) > 1 and root_pid in workers:  # the supervisor holds the socket it bound
        workers.remove(root_pid)
    return {pid: {established[i] for i in holders[pid] if i in established} for pid in workers}


def pids_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """{pid: user + system CPU seconds} of those of these processes still running."""
    cpu = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return cpu


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes of `before` spent until `after` (exited ones not counted)."""
    return sum(after[pid] - before[pid] for pid in before if pid in after)


async def postgres_backends(url: str) -> list[int]:
    """PIDs of the PostgreSQL backends connected to the database of `url` (other than the
    one asking): the server's pooled connections during a benchmark."""
    conn = await asyncpg.connect(plain_postgres_url(url))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    finally:
        await conn.close()
    return [int(row["pid"]) for row in rows]


# Debian's Chromium, quiet on a machine with no network beyond the package registries
# (the browser tests keep the same list in tests/browser/conftest.py).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
