"""Which PostgreSQL to use: the configured URL, or the embedded server."""

from deskpilot.core.config import Settings, get_settings
from deskpilot.core.embedded_postgres import start_embedded_postgres
from deskpilot.core.runtime_dir import ensure_runtime_dir


def to_asyncpg_url(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"Unsupported database URL (PostgreSQL only): {url.split('://')[0]}://…")


def resolve_database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.database_url:
        return to_asyncpg_url(settings.database_url)
    ensure_runtime_dir()
    return start_embedded_postgres(settings.data_dir)
