"""The settings' documentation keeps up with the Settings class: the committed .env.example
is what `deskpilot env-example` writes, and the README's table has a row for every setting."""

import os
import re
from pathlib import Path

from deskpilot.core.config import Settings
from deskpilot.core.env_example import env_name, render_env_example
from tests.support.commands import deskpilot_command, run_command

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "uv run deskpilot env-example --output .env.example"


def test_env_example_is_generated_from_the_settings() -> None:
    committed = (ROOT / ".env.example").read_text()
    assert committed == render_env_example(), f".env.example is out of date: run `{REGENERATE}`"


def test_the_regenerate_command_writes_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    written = tmp_path / ".env.example"
    result = run_command(
        deskpilot_command("env-example", "--output", str(written)), env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert written.read_text() == (ROOT / ".env.example").read_text()


def test_env_example_has_every_setting_with_a_description() -> None:
    text = render_env_example()
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"
        assert f"\n# {env_name(name)}=" in text


def test_env_example_leaves_secrets_blank() -> None:
    lines = render_env_example().splitlines()
    assert "# DESKPILOT_SECRET_KEY=" in lines
    assert "# DESKPILOT_LLM_API_KEY=" in lines
    assert "change-me" not in "\n".join(lines)


def test_env_example_shows_the_defaults() -> None:
    lines = render_env_example().splitlines()
    for line in (
        "# DESKPILOT_ENVIRONMENT=development",
        "# DESKPILOT_DB_POOL_SIZE=10",
        "# DESKPILOT_COOKIE_SECURE=false",
        "# DESKPILOT_LLM_TIMEOUT_SECONDS=60.0",
        "# DESKPILOT_FORWARDED_ALLOW_IPS=127.0.0.1",
        "# DESKPILOT_DATABASE_URL=",
    ):
        assert line in lines


def test_the_readme_table_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^\| `(DESKPILOT_[A-Z0-9_]+)`", readme, flags=re.MULTILINE))
    expected = {env_name(name) for name in Settings.model_fields}
    assert expected - listed == set(), "add these to the README's settings table"
    assert listed - expected == set(), "the README lists settings that do not exist"
