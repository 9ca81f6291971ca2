"""The container files keep their essentials: a multi-stage build whose steps are the
commands CI runs, a non-root runtime with a health check, and a compose file with a pinned
official PostgreSQL, a volume, an env file and start-up order on the database's health."""

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs; continuation lines joined, comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


@pytest.fixture(scope="module")
def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = [[]]  # the first holds the ARGs before any FROM
    for instruction in _instructions((ROOT / "Dockerfile").read_text()):
        if instruction[0] == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _args(stage: list[tuple[str, str]], name: str) -> list[str]:
    return [args for instruction, args in stage if instruction == name]


def test_the_base_image_is_a_build_argument(stages: list[list[tuple[str, str]]]) -> None:
    global_args = [args.split("=", 1)[0] for args in _args(stages[0], "ARG")]
    assert "BASE_IMAGE" in global_args
    assert _args(stages[-1], "FROM") == ["${BASE_IMAGE}"]


def test_the_stages_build_the_web_app_then_the_wheel(
    stages: list[list[tuple[str, str]]],
) -> None:
    web, wheel, runtime = stages[1:]
    web_runs = " && ".join(_args(web, "RUN"))
    assert "npm ci" in web_runs and "npm run build" in web_runs
    assert "uv build --wheel" in " ".join(_args(wheel, "RUN"))
    assert any("--from=web" in args and "frontend/out" in args for args in _args(wheel, "COPY"))
    assert any("--from=wheel" in args for args in _args(runtime, "COPY"))
    assert not any("npm" in args or "node" in args for args in _args(runtime, "RUN"))


def test_the_build_commands_are_the_ones_ci_runs(stages: list[list[tuple[str, str]]]) -> None:
    ci_scripts = (ROOT / "scripts/common.sh").read_text()
    for command in ("npm ci --no-audit --no-fund", "npm run build"):
        assert command in ci_scripts, command
        assert any(command in args for args in _args(stages[1], "RUN")), command
    wheel_test = (ROOT / "tests/packaging/test_wheel.py").read_text()
    assert '"build", "--wheel"' in wheel_test


def test_the_runtime_runs_as_an_unprivileged_user(stages: list[list[tuple[str, str]]]) -> None:
    users = _args(stages[-1], "USER")
    assert users, "the runtime stage sets no USER: it would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_runtime_checks_its_health_on_the_api(stages: list[list[tuple[str, str]]]) -> None:
    (healthcheck,) = _args(stages[-1], "HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert "http://127.0.0.1:8000/api/health" in " ".join(command)
    (cmd,) = _args(stages[-1], "CMD")
    assert json.loads(cmd)[:2] == ["deskpilot", "serve"]
    assert "8000" in shlex.split(" ".join(json.loads(cmd)))


def test_compose_pins_the_official_postgres_major(compose: dict[str, Any]) -> None:
    image = compose["services"]["db"]["image"]
    assert re.fullmatch(r"postgres:\d+(\.\d+)?(-[a-z0-9.]+)?", image), image


def test_compose_keeps_the_database_in_a_named_volume(compose: dict[str, Any]) -> None:
    mounts = compose["services"]["db"]["volumes"]
    named = {
        m.split(":", 1)[0] for m in mounts if m.split(":", 1)[1].startswith("/var/lib/postgresql")
    }
    assert named and named <= set(compose["volumes"])


def test_the_app_reads_the_env_file_and_waits_for_a_healthy_database(
    compose: dict[str, Any],
) -> None:
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert "test" in db["healthcheck"]
    assert app["env_file"] in (".env", [".env"])
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "@db:5432/" in app["environment"]["DESKPILOT_DATABASE_URL"]
    # with a URL set, serve does not migrate: the migrate service must have run first
    assert compose["services"]["migrate"]["command"] == ["deskpilot", "migrate"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
