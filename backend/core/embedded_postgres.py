"""The embedded PostgreSQL (pgserver) used when no database URL is configured."""

import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

EMBEDDED_DATABASE = "deskpilot"
_servers: dict[Path, Any] = {}  # keep handles alive: pgserver stops the server when released


def start_embedded_postgres(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or reuse) the server keeping its files in data_dir/pgdata; return an asyncpg URL."""
    import pgserver  # imported lazily: only embedded mode needs it

    pgdata = (data_dir / "pgdata").resolve()
    server = _servers.get(pgdata)
    if server is None:
        pgdata.mkdir(parents=True, exist_ok=True)
        logger.info("Starting embedded PostgreSQL in %s", pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
        _servers[pgdata] = server
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgresql+asyncpg://postgres@/{database}?host={pgdata}"
