"""The async engine and session factory, created once per process."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def init_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    global _engine, _sessionmaker
    _engine = create_async_engine(
        # No pre-ping: it costs a round trip per request; a dropped connection fails one
        # request and SQLAlchemy then replaces the pool.
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
    )
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine, _sessionmaker = None, None


def get_engine() -> AsyncEngine:
    if _engine is None:
        raise RuntimeError("Database engine not initialised")
    return _engine


def session_factory() -> async_sessionmaker[AsyncSession]:
    if _sessionmaker is None:
        raise RuntimeError("Database engine not initialised")
    return _sessionmaker


async def get_db() -> AsyncIterator[AsyncSession]:
    """Request-scoped session. Services flush; routes commit explicitly before responding."""
    async with session_factory()() as session:
        yield session
