from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import AuthSession, User
from tests.conftest import ClientFactory, LiveServer
from tests.support.factories import DEFAULT_PASSWORD, make_user


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def test_login_sets_httponly_lax_cookie_and_me_works(
    anon: httpx.AsyncClient, agent: User
) -> None:
    response = await sign_in(anon, "AGENT@example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "agent@example.com"
    assert body["user"]["role"] == "agent"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("deskpilot_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "Secure" not in session_cookie
    csrf_cookie = next(c for c in cookies if c.startswith("deskpilot_csrf="))
    assert "HttpOnly" not in csrf_cookie
    me = await anon.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["user"]["id"] == str(agent.id)
    assert me.json()["csrf_token"] == body["csrf_token"]


async def test_secure_cookie_when_configured(
    server: LiveServer, anon: httpx.AsyncClient, agent: User
) -> None:
    server.configure(cookie_secure=True)
    response = await sign_in(anon, agent.email)
    assert all("Secure" in c for c in response.headers.get_list("set-cookie"))


async def test_wrong_password_and_unknown_email_get_same_401(
    anon: httpx.AsyncClient, agent: User
) -> None:
    wrong = await sign_in(anon, agent.email, "nope")
    unknown = await sign_in(anon, "ghost@example.com", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"] == "invalid_credentials"
    assert "set-cookie" not in wrong.headers


async def test_inactive_user_cannot_sign_in(anon: httpx.AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, email="gone@example.com", active=False)
    response = await sign_in(anon, user.email)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/auth/me"),
        ("POST", "/api/auth/logout"),
        ("GET", "/api/tickets"),
        ("POST", "/api/tickets"),
        ("GET", "/api/tickets/1"),
        ("PATCH", "/api/tickets/1"),
        ("POST", "/api/tickets/1/notes"),
        ("GET", "/api/tickets/search?q=x"),
        ("GET", "/api/users"),
        ("POST", "/api/users"),
    ],
)
async def test_every_api_route_needs_a_session(
    anon: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await anon.request(method, path, json={})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthorized"


async def test_health_needs_no_session(anon: httpx.AsyncClient) -> None:
    assert (await anon.get("/api/health")).status_code == 200


async def test_forged_cookie_is_rejected(anon: httpx.AsyncClient) -> None:
    anon.cookies.set("deskpilot_session", "forged-token")
    assert (await anon.get("/api/tickets")).status_code == 401


async def test_expired_session_is_rejected(client: httpx.AsyncClient, db: AsyncSession) -> None:
    assert (await client.get("/api/tickets")).status_code == 200
    await db.execute(
        update(AuthSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    await db.commit()
    response = await client.get("/api/tickets")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


async def test_a_user_deactivated_while_signed_in_is_rejected(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    await db.execute(update(User).where(User.id == me.json()["user"]["id"]).values(is_active=False))
    await db.commit()

    assert (await client.get("/api/auth/me")).status_code == 401
    assert (await client.post("/api/chat/sessions", json={})).status_code == 401


async def test_logout_ends_the_session_server_side(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    token = client.cookies.get("deskpilot_session")
    assert (await client.post("/api/auth/logout")).status_code == 204
    assert (await db.execute(select(AuthSession))).first() is None
    # Replaying the old cookie does not work either.
    async with httpx.AsyncClient(base_url=str(client.base_url)) as replay:
        replay.cookies.set("deskpilot_session", token or "")
        assert (await replay.get("/api/tickets")).status_code == 401


async def test_cookie_writes_need_the_csrf_header(client: httpx.AsyncClient) -> None:
    good = client.headers.pop("X-CSRF-Token")
    missing = await client.post("/api/tickets", json={"title": "t"})
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "csrf_failed"
    wrong = await client.post(
        "/api/tickets", json={"title": "t"}, headers={"X-CSRF-Token": "x" * 32}
    )
    assert wrong.status_code == 403
    ok = await client.post("/api/tickets", json={"title": "t"}, headers={"X-CSRF-Token": good})
    assert ok.status_code == 201
    # Reads need no token.
    assert (await client.get("/api/tickets")).status_code == 200


async def test_csrf_token_is_bound_to_the_session(
    client_for: ClientFactory, agent: User, admin: User
) -> None:
    first = await client_for(agent)
    second = await client_for(admin)
    response = await first.post(
        "/api/tickets",
        json={"title": "t"},
        headers={"X-CSRF-Token": second.headers["X-CSRF-Token"]},
    )
    assert response.status_code == 403


async def test_repeated_failures_for_one_account_get_429(
    server: LiveServer, anon: httpx.AsyncClient, agent: User
) -> None:
    server.configure(login_max_failures=3)
    for _ in range(3):
        assert (await sign_in(anon, agent.email, "bad")).status_code == 401
    blocked = await sign_in(anon, agent.email)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert int(blocked.headers["Retry-After"]) > 0


async def test_successful_login_clears_account_failures(
    server: LiveServer, anon: httpx.AsyncClient, agent: User
) -> None:
    server.configure(login_max_failures=3)
    for _ in range(2):
        await sign_in(anon, agent.email, "bad")
    assert (await sign_in(anon, agent.email)).status_code == 200
    for _ in range(2):
        await sign_in(anon, agent.email, "bad")
    assert (await sign_in(anon, agent.email)).status_code == 200


async def test_repeated_failures_from_one_address_get_429(
    server: LiveServer, anon: httpx.AsyncClient, agent: User
) -> None:
    server.configure(login_max_failures=2)  # address limit is 4x the account limit
    for i in range(8):
        response = await sign_in(anon, f"nobody{i}@example.com", "x")
        assert response.status_code == 401
    blocked = await sign_in(anon, agent.email)
    assert blocked.status_code == 429


async def test_admin_only_route_answers_403_to_agents(
    client_for: ClientFactory, agent: User, admin: User
) -> None:
    new_user = {
        "email": "new@example.com",
        "name": "New",
        "password": "long enough",
        "role": "agent",
    }
    as_agent = await client_for(agent)
    denied = await as_agent.post("/api/users", json=new_user)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    as_admin = await client_for(admin)
    created = await as_admin.post("/api/users", json=new_user)
    assert created.status_code == 201
    assert created.json()["email"] == "new@example.com"
    duplicate = await as_admin.post("/api/users", json=new_user | {"email": "NEW@example.com"})
    assert duplicate.status_code == 409
