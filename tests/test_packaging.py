"""The import package is `deskpilot` (backend/ is its source folder): nothing may import it
through the folder (`backend.deskpilot`), which would load a second copy of every module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_app_loads_only_as_deskpilot() -> None:
    probe = (
        "import sys, deskpilot.main, deskpilot.cli;"
        "print(sorted(m for m in sys.modules if m.startswith('backend.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_no_source_imports_the_folder_name() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("backend", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from backend", "import backend"))
    ]
    assert offenders == []
