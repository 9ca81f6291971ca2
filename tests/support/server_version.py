"""`python -m tests.support.server_version URL`: print the server's version (e.g. 15.20) and
exit 0 if a PostgreSQL of a supported major (15+) answers at URL within 3 s; exit 1 if not."""

import asyncio
import sys

import asyncpg

OLDEST_SUPPORTED = 150000


async def _version(url: str) -> tuple[int, str]:
    connection = await asyncpg.connect(url, timeout=3)
    try:
        number = int(await connection.fetchval("SHOW server_version_num"))
        text = str(await connection.fetchval("SHOW server_version")).split()[0]
        return number, text
    finally:
        await connection.close()


def main() -> int:
    try:
        number, text = asyncio.run(_version(sys.argv[1]))
    except (OSError, ValueError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return 1
    if number < OLDEST_SUPPORTED:
        return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
