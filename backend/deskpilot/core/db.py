"""The async engine and session factories, created once per process, and the one Reader
protocol the read helpers take.

The commit rule, the only one: a unit of work per request. Services flush; the route
commits once, after its one service call, before it answers. A chat turn has no request
session: its own statements (the user's message, the reply, the title) each commit alone
on a pooled autocommit connection taken for it (services/chat/turn_store.py), and each tool call is
one unit of work that the tool executor commits (services/chat/tools/executor.py). The
sign-in throttle commits the attempt before the password is checked, so that a failed
sign-in counts and its locks are not held over argon2 (services/auth_service.py).
Outside requests, each CLI command and each round of the sign-in pruning job is one unit
of work committed where it runs (cli/, services/auth_pruning.py). Nothing else commits."""

from collections.abc import AsyncIterator
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from starlette.requests import Request

from deskpilot.core import metrics
from deskpilot.core.db_features import forget_database_features


class Reader(Protocol):
    """What the read helpers run on, and all they use: an AsyncSession, an AsyncConnection,
    or a RawReader over a pooled asyncpg connection (core/raw_sql.py)."""

    async def execute(self, statement: Any, params: Any = None, /) -> Any: ...

    async def scalar(self, statement: Any, params: Any = None, /) -> Any: ...


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_read_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_autocommit_engine: AsyncEngine | None = None
_pool_limit = 0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    global _engine, _sessionmaker, _read_sessionmaker, _autocommit_engine, _pool_limit
    _engine = create_async_engine(
        # No pre-ping: it costs a round trip per request; a dropped connection fails one
        # request and SQLAlchemy then replaces the pool.
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
    )
    _pool_limit = 2 * pool_size
    metrics.watch_pool(_engine, limit=_pool_limit)
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    # Reads in autocommit mode: no BEGIN and ROLLBACK round trips around them. Under READ
    # COMMITTED every statement takes its own snapshot anyway, so a read-only request sees
    # exactly what it would inside a transaction. Same pool; only the mode differs.
    _autocommit_engine = _engine.execution_options(isolation_level="AUTOCOMMIT")
    _read_sessionmaker = async_sessionmaker(_autocommit_engine, expire_on_commit=False)
    return _engine


async def dispose_engine() -> None:
    global _engine, _sessionmaker, _read_sessionmaker, _autocommit_engine, _pool_limit
    if _engine is not None:
        await _engine.dispose()
        metrics.unwatch_pool(limit=_pool_limit)
    forget_database_features()
    _engine, _sessionmaker, _read_sessionmaker, _autocommit_engine = None, None, None, None


def get_engine() -> AsyncEngine:
    if _engine is None:
        raise RuntimeError("Database engine not initialised")
    return _engine


def autocommit_engine() -> AsyncEngine:
    """The engine's pool in autocommit mode: each statement commits on its own."""
    if _autocommit_engine is None:
        raise RuntimeError("Database engine not initialised")
    return _autocommit_engine


def session_factory() -> async_sessionmaker[AsyncSession]:
    if _sessionmaker is None:
        raise RuntimeError("Database engine not initialised")
    return _sessionmaker


def read_session_factory() -> async_sessionmaker[AsyncSession]:
    """Sessions for read-only work: autocommit, so no transaction is opened or rolled back."""
    if _read_sessionmaker is None:
        raise RuntimeError("Database engine not initialised")
    return _read_sessionmaker


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """Request-scoped session (the commit rule is in this module's docstring).

    GET/HEAD/OPTIONS requests only read (no such route writes), so they get an autocommit
    session: two fewer round trips (BEGIN, ROLLBACK) per request."""
    factory = read_session_factory() if request.method in SAFE_METHODS else session_factory()
    async with factory() as session:
        yield session
