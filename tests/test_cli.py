"""The `deskpilot` command: its commands, create-user, and refusing production with the
default secret."""

import os
import subprocess

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import DEFAULT_SECRET, Settings
from deskpilot.models import User
from tests.support.commands import deskpilot_command, run_command

SECRET_MESSAGE = "DESKPILOT_SECRET_KEY must be set to a non-default value in production"


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    clean_env["COLUMNS"] = "200"  # keep rich from wrapping messages mid-sentence
    return run_command(
        [*deskpilot_command(), *args], env={**clean_env, **(env or {})}, timeout=timeout
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "migrate", "seed-demo", "create-user", "eval"):
        assert f" {command} " in result.stdout, command
    assert "Deskpilot helpdesk server and tools." in result.stdout


async def test_create_user_adds_a_user_who_can_sign_in(
    database_url: str, anon: httpx.AsyncClient, db: AsyncSession
) -> None:
    result = run(
        "create-user",
        "--email",
        "Nora@Example.com",
        "--name",
        "Nora North",
        "--password",
        "a long enough password",
        "--role",
        "admin",
        env={"DESKPILOT_DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "Created admin Nora@Example.com" in result.stdout
    assert await db.scalar(select(func.count()).select_from(User)) == 1

    response = await anon.post(
        "/api/auth/login", json={"email": "nora@example.com", "password": "a long enough password"}
    )
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert (user["email"], user["name"], user["role"]) == (
        "Nora@Example.com",
        "Nora North",
        "admin",
    )
    wrong = await anon.post(
        "/api/auth/login", json={"email": "nora@example.com", "password": "not the password"}
    )
    assert wrong.status_code == 401


async def test_create_user_rejects_a_short_password(
    database_url: str, db: AsyncSession, engine: None
) -> None:
    result = run(
        "create-user",
        "--email",
        "x@example.com",
        "--name",
        "X",
        "--password",
        "short",
        env={"DESKPILOT_DATABASE_URL": database_url},
    )
    assert result.returncode == 2
    assert "password must have at least 8 characters" in one_line(result.stderr)
    assert await db.scalar(select(func.count()).select_from(User)) == 0


def test_settings_refuse_the_default_secret_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESKPILOT_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, environment="production")  # type: ignore[call-arg]
    assert SECRET_MESSAGE in str(raised.value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None, environment="production", secret_key=DEFAULT_SECRET)  # type: ignore[call-arg]
    # A real secret is fine, and outside production the default is tolerated.
    assert Settings(
        _env_file=None, environment="production", secret_key="s3cr3t-value"
    ).environment == (  # type: ignore[call-arg]
        "production"
    )
    assert Settings(_env_file=None, environment="development").secret_key.get_secret_value() == (  # type: ignore[call-arg]
        DEFAULT_SECRET
    )


def test_serve_refuses_to_start_in_production_with_the_default_secret() -> None:
    result = run(
        "serve",
        "--port",
        "1",  # never bound: the settings check comes first
        env={
            "DESKPILOT_ENVIRONMENT": "production",
            "DESKPILOT_DATABASE_URL": "postgresql://nobody:db-password@127.0.0.1:1/none",
            "DESKPILOT_LLM_API_KEY": "sk-do-not-print-me",
        },
    )
    assert result.returncode != 0
    output = one_line(result.stdout + result.stderr)
    assert SECRET_MESSAGE in output
    assert "is running" not in output
    # A clear message, not a traceback, and no secrets from the environment in it.
    assert "Traceback" not in output
    assert "sk-do-not-print-me" not in output
    assert "db-password" not in output
