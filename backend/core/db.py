"""The async engine and session factory, created once per process."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from starlette.requests import Request

_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_read_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_autocommit_engine: AsyncEngine | None = None
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    global _engine, _sessionmaker, _read_sessionmaker, _autocommit_engine
    _engine = create_async_engine(
        # No pre-ping: it costs a round trip per request; a dropped connection fails one
        # request and SQLAlchemy then replaces the pool.
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
    )
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    # Reads in autocommit mode: no BEGIN and ROLLBACK round trips around them. Under READ
    # COMMITTED every statement takes its own snapshot anyway, so a read-only request sees
    # exactly what it would inside a transaction. Same pool; only the mode differs.
    _autocommit_engine = _engine.execution_options(isolation_level="AUTOCOMMIT")
    _read_sessionmaker = async_sessionmaker(_autocommit_engine, expire_on_commit=False)
    return _engine


async def dispose_engine() -> None:
    global _engine, _sessionmaker, _read_sessionmaker, _autocommit_engine
    if _engine is not None:
        await _engine.dispose()
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
    """Request-scoped session. Services flush; routes commit explicitly before responding.

    GET/HEAD/OPTIONS requests only read (no such route writes), so they get an autocommit
    session: two fewer round trips (BEGIN, ROLLBACK) per request."""
    factory = read_session_factory() if request.method in SAFE_METHODS else session_factory()
    async with factory() as session:
        yield session
