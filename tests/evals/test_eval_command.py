"""`deskpilot eval` end to end: a small case file through the chat turn on the offline
assistant, in a scratch database beside the test database, which it leaves alone."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Ticket
from tests.support.commands import ROOT, deskpilot_command

CASES: list[dict[str, Any]] = [
    {
        "id": "e1",
        "class": "create",
        "text": "create a ticket: the scanner in the mail room jams on every page",
        "expect": {
            "tool": "create_ticket",
            "args": {},
            "title_must_mention": ["scanner"],
            "write": True,
            "ask_ok": False,
        },
    },
    {
        "id": "e2",
        "class": "lookup",
        "text": "show me ticket 12",
        "expect": {
            "tool": "get_ticket",
            "args": {"ticket_id": 12},
            "write": False,
            "ask_ok": False,
        },
    },
    {
        "id": "e3",
        "class": "multi",
        "turns": [
            {
                "text": "close #12",
                "expect": {
                    "tool": "update_ticket",
                    "args": {"ticket_id": 12, "status": "closed"},
                    "write": True,
                    "ask_ok": False,
                },
            },
            {
                "text": "thanks",
                "expect": {"tool": None, "args": {}, "write": False, "ask_ok": False},
            },
        ],
        "final_state": {"12": {"status": "closed"}},
    },
    {  # wrong on purpose: the report must count it, and the bar must catch it
        "id": "e4",
        "class": "lookup",
        "text": "hello there",
        "expect": {"tool": "get_ticket", "args": {"ticket_id": 3}, "write": False, "ask_ok": False},
    },
]
WORLD: dict[str, Any] = {
    "current_agent": "Dana Kim",
    "agents": [{"name": "Dana Kim", "email": "dana@desk.example"}],
    "tickets": [
        {
            "id": n,
            "title": f"World ticket {n}",
            "description": "",
            "status": "open",
            "priority": "medium",
            "category": "hardware",
            "assignee": None,
            "notes": ["first note"],
        }
        for n in (3, 12)
    ],
}


def run_eval(
    database_url: str,
    tmp_path: Path,
    *args: str,
    cases: list[dict[str, Any]] = CASES,
    scratch: str = f"deskpilot_eval_test_{os.getpid()}",
) -> subprocess.CompletedProcess[str]:
    case_file = tmp_path / "cases.jsonl"
    case_file.write_text("".join(json.dumps(c) + "\n" for c in cases))
    world = tmp_path / "world.json"
    world.write_text(json.dumps(WORLD))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    env |= {"DESKPILOT_DATABASE_URL": database_url, "DESKPILOT_ENVIRONMENT": "test"}
    command = ["eval", "--provider", "offline", "--cases", str(case_file), "--world", str(world)]
    return subprocess.run(
        deskpilot_command(*command, "--scratch-database", scratch, *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.usefixtures("engine")
async def test_eval_scores_a_small_set_in_its_own_database(
    database_url: str, tmp_path: Path, db: AsyncSession
) -> None:
    out = tmp_path / "out.json"
    result = run_eval(database_url, tmp_path, "--json", str(out), "--min-accuracy", "0.95")
    assert result.returncode == 1, result.stdout + result.stderr  # 3 of 4 is below 95%
    assert "cases.jsonl: 3/4 = 75.0% of cases right (4/5 = 80.0% of turns)" in result.stdout
    assert "unwanted writes: 0" in result.stdout
    assert "Below the bar: cases.jsonl" in result.stderr
    [report] = json.loads(out.read_text())["files"]
    assert report["by_tool"]["get_ticket"] == {"passed": 1, "total": 2, "accuracy": 0.5}
    assert report["by_tool"]["update_ticket"]["passed"] == 1
    assert [f["case"] for f in report["failures"]] == ["e4"]
    assert report["latency_ms"]["p50"] > 0
    # the test database was not written: the world's tickets went to the scratch database
    assert await db.scalar(select(func.count()).select_from(Ticket)) == 0


def test_eval_passes_the_bar_when_every_case_is_right(database_url: str, tmp_path: Path) -> None:
    result = run_eval(
        database_url,
        tmp_path,
        "--min-accuracy",
        "95",
        "--max-unwanted-writes",
        "0",
        cases=CASES[:3],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cases.jsonl: 3/3 = 100.0% of cases right" in result.stdout


def test_eval_says_plainly_when_the_model_is_not_usable(database_url: str, tmp_path: Path) -> None:
    result = run_eval(database_url, tmp_path, "--provider", "openai")
    assert result.returncode == 1
    assert "The model is not usable: No API key configured" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_eval_refuses_to_use_the_desks_own_database(database_url: str, tmp_path: Path) -> None:
    own = database_url.split("?")[0].rsplit("/", 1)[1]
    result = run_eval(database_url, tmp_path, scratch=own)
    assert result.returncode == 1
    assert "may not be the desk's own database" in result.stderr
