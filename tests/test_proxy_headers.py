"""Behind a reverse proxy: `deskpilot serve --proxy-headers --forwarded-allow-ips …` (or the
DESKPILOT_PROXY_HEADERS / DESKPILOT_FORWARDED_ALLOW_IPS settings) makes the login throttle
count each client's own address, taken from X-Forwarded-For only when a trusted proxy sent
it."""

import contextlib
from pathlib import Path

import httpx

from tests.support.commands import serve as deskpilot_serve

# One failure per account, so an address is throttled after 4 (ADDRESS_LIMIT_FACTOR).
ADDRESS_LIMIT = 4


def serve(
    database_url: str, log_dir: Path, *args: str, env: dict[str, str] | None = None
) -> contextlib.AbstractAsyncContextManager[str]:
    """`deskpilot serve` on the test database, one failed sign-in per account allowed."""
    settings = {"DESKPILOT_LOGIN_MAX_FAILURES": "1", **(env or {})}
    return deskpilot_serve(database_url, log_dir, "--no-access-log", *args, env=settings)


class Attempts:
    """Failed sign-ins, each with a new unknown account, as the client behind `forwarded`."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.count = 0

    async def fail(self, forwarded: str) -> int:
        self.count += 1
        response = await self.http.post(
            "/api/auth/login",
            json={"email": f"nobody{self.count}@example.com", "password": "not a password"},
            headers={"X-Forwarded-For": forwarded},
        )
        return response.status_code


async def test_clients_behind_a_trusted_proxy_have_their_own_counters(
    engine: None, database_url: str, tmp_path: Path
) -> None:
    flags = ("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1")
    async with (
        serve(database_url, tmp_path, *flags) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        attempts = Attempts(http)
        for _ in range(ADDRESS_LIMIT):
            assert await attempts.fail("203.0.113.7") == 401
        assert await attempts.fail("203.0.113.7") == 429
        # Another client of the same proxy is not locked out.
        assert await attempts.fail("198.51.100.20") == 401
        # Through several proxies, the address the trusted one saw (the last) is the client.
        assert await attempts.fail("192.0.2.1, 198.51.100.21") == 401


async def test_an_untrusted_peer_cannot_pick_its_address(
    engine: None, database_url: str, tmp_path: Path
) -> None:
    # Proxy headers on through the settings, but only a proxy at another address is trusted.
    env = {"DESKPILOT_PROXY_HEADERS": "true", "DESKPILOT_FORWARDED_ALLOW_IPS": "10.9.9.9"}
    async with (
        serve(database_url, tmp_path, env=env) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        attempts = Attempts(http)
        for i in range(ADDRESS_LIMIT):
            assert await attempts.fail(f"203.0.113.{i}") == 401
        # Every attempt counted against 127.0.0.1, whatever address it claimed.
        assert await attempts.fail("198.51.100.20") == 429
