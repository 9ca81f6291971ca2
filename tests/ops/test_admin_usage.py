"""GET /api/admin/usage: token totals per day, per user and per model, for administrators."""

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import TokenUsageDaily, User
from tests.support.factories import make_user

Client = httpx.AsyncClient
TODAY = datetime.now(UTC).date()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
async def usage(db: AsyncSession, agent: User, admin: User) -> User:
    """Two agents' and an admin's days; returns the second agent."""
    other = await make_user(db, email="bo@example.com", name="Bo Agent")
    rows = [
        (ago(0), agent, "openai", "gpt-4o-mini", 1000, 100, 4),
        (ago(0), agent, "anthropic", "claude-sonnet-4-5", 500, 50, 1),
        (ago(1), agent, "openai", "gpt-4o-mini", 300, 30, 2),
        (ago(0), other, "openai", "gpt-4o-mini", 4000, 400, 9),
        (ago(5), admin, "offline", "deskpilot-offline", 0, 0, 3),
        (ago(40), other, "openai", "gpt-4o-mini", 99999, 9999, 99),  # outside the default 30 days
    ]
    db.add_all(
        TokenUsageDaily(
            day=day,
            user_id=user.id,
            provider=provider,
            model=model,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            replies=replies,
        )
        for day, user, provider, model, tokens_in, tokens_out, replies in rows
    )
    await db.commit()
    return other


async def test_totals_per_day_user_and_model(
    admin_client: Client, usage: User, agent: User, admin: User
) -> None:
    response = await admin_client.get("/api/admin/usage")

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["start"], report["end"]) == (ago(29).isoformat(), TODAY.isoformat())
    assert report["user_id"] is None
    assert report["total"] == {"input_tokens": 5800, "output_tokens": 580, "replies": 19}
    assert report["by_day"] == [
        {"day": ago(5).isoformat(), "input_tokens": 0, "output_tokens": 0, "replies": 3},
        {"day": ago(1).isoformat(), "input_tokens": 300, "output_tokens": 30, "replies": 2},
        {"day": ago(0).isoformat(), "input_tokens": 5500, "output_tokens": 550, "replies": 14},
    ]
    assert [(u["user"]["email"], u["input_tokens"], u["output_tokens"], u["replies"])
            for u in report["by_user"]] == [
        ("bo@example.com", 4000, 400, 9),
        ("agent@example.com", 1800, 180, 7),
        ("admin@example.com", 0, 0, 3),
    ]  # fmt: skip
    assert report["by_user"][1]["user"] == {
        "id": str(agent.id),
        "name": "Ada Agent",
        "email": "agent@example.com",
    }
    assert [(m["provider"], m["model"], m["input_tokens"]) for m in report["by_model"]] == [
        ("openai", "gpt-4o-mini", 5300),
        ("anthropic", "claude-sonnet-4-5", 500),
        ("offline", "deskpilot-offline", 0),
    ]


async def test_a_range_and_one_user(admin_client: Client, usage: User) -> None:
    response = await admin_client.get(
        "/api/admin/usage",
        params={"start": ago(60).isoformat(), "end": ago(1).isoformat(), "user_id": str(usage.id)},
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["user_id"] == str(usage.id)
    assert report["total"] == {"input_tokens": 99999, "output_tokens": 9999, "replies": 99}
    assert [d["day"] for d in report["by_day"]] == [ago(40).isoformat()]
    assert [u["user"]["email"] for u in report["by_user"]] == ["bo@example.com"]


async def test_an_empty_range_has_zero_totals(admin_client: Client) -> None:
    report = (await admin_client.get("/api/admin/usage")).json()

    assert report["total"] == {"input_tokens": 0, "output_tokens": 0, "replies": 0}
    assert (report["by_day"], report["by_user"], report["by_model"]) == ([], [], [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-10", "end": "2026-02-01"}, "start"),
        ({"start": "2024-01-01", "end": "2025-06-30"}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"user_id": "bo"}, "user_id"),
    ],
    ids=["start-after-end", "more-than-366-days", "not-a-date", "not-a-user-id"],
)
async def test_bad_ranges_are_refused(
    admin_client: Client, params: dict[str, str], field: str
) -> None:
    response = await admin_client.get("/api/admin/usage", params=params)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == field


async def test_only_administrators_see_it(anon: Client, client: Client) -> None:
    assert (await anon.get("/api/admin/usage")).status_code == 401
    refused = await client.get("/api/admin/usage")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
