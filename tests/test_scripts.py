"""scripts/common.sh skips `npm ci` and the web build when their inputs' contents are
unchanged, and runs them again when they change. Run on a copy of the scripts and a small
web app, with an `npm` on PATH that records its calls instead of installing or building."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_NPM = """#!/usr/bin/env bash
echo "$*" >>"$NPM_CALLS"
case "$*" in
  ci*) rm -rf node_modules && mkdir node_modules ;;
  "run build"*) mkdir -p out && echo '<html></html>' >out/index.html ;;
esac
"""


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls = root / "npm-calls.log"
        shutil.copytree(ROOT / "scripts", root / "scripts")
        web = root / "frontend"
        (web / "app").mkdir(parents=True)
        (web / "lib").mkdir()
        (web / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
        (web / "app" / "page.tsx").write_text("export default function Page() {}\n")
        (web / "lib" / "api-schema.d.ts").write_text("export interface paths {}\n")
        bin_dir = root / "bin"
        bin_dir.mkdir()
        (bin_dir / "npm").write_text(FAKE_NPM)
        (bin_dir / "npm").chmod(0o755)
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "NPM_CALLS": str(self.calls),
        }

    def setup_and_build(self) -> list[str]:
        """What `make test` does for the web app; returns the npm commands it ran."""
        self.calls.write_text("")
        subprocess.run(
            [
                "bash",
                "-c",
                "source scripts/common.sh && setup_frontend && build_frontend_if_needed",
            ],
            cwd=self.root,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return [line.split()[0] if line.startswith("ci") else line for line in self._calls()]

    def _calls(self) -> list[str]:
        return [line for line in self.calls.read_text().splitlines() if line]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_a_second_run_with_nothing_changed_installs_and_builds_nothing(project: Project) -> None:
    assert project.setup_and_build() == ["ci", "run build --silent"]
    assert project.setup_and_build() == []


def test_rewriting_a_file_with_the_same_text_is_no_change(project: Project) -> None:
    project.setup_and_build()
    schema = project.root / "frontend" / "lib" / "api-schema.d.ts"
    # What the API-schema drift check does: regenerate, then put the committed text back.
    schema.write_text(schema.read_text())
    os.utime(schema, (schema.stat().st_atime + 60, schema.stat().st_mtime + 60))
    assert project.setup_and_build() == []


def test_a_changed_source_rebuilds_without_reinstalling(project: Project) -> None:
    project.setup_and_build()
    (project.root / "frontend" / "app" / "page.tsx").write_text("export default 1\n")
    assert project.setup_and_build() == ["run build --silent"]
    (project.root / "frontend" / "components").mkdir()
    (project.root / "frontend" / "components" / "new.tsx").write_text("export {}\n")
    assert project.setup_and_build() == ["run build --silent"]


def test_a_changed_lock_file_reinstalls_and_rebuilds(project: Project) -> None:
    project.setup_and_build()
    (project.root / "frontend" / "package-lock.json").write_text('{"lockfileVersion": 4}\n')
    assert project.setup_and_build() == ["ci", "run build --silent"]


def test_a_missing_build_or_install_is_redone(project: Project) -> None:
    project.setup_and_build()
    shutil.rmtree(project.root / "frontend" / "out")
    assert project.setup_and_build() == ["run build --silent"]
    shutil.rmtree(project.root / "frontend" / "node_modules")
    assert project.setup_and_build() == ["ci"]
