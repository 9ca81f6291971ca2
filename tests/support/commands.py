"""How tests start Deskpilot in another process."""

import sys
from pathlib import Path

# The entry point installed in the environment running the tests (what `uv run deskpilot`
# runs), found beside this Python: no uv needed on PATH, no uv start-up cost.
DESKPILOT = Path(sys.executable).parent / "deskpilot"


def deskpilot_command(*args: str) -> list[str]:
    assert DESKPILOT.is_file(), f"the deskpilot command is not installed beside {sys.executable}"
    return [str(DESKPILOT), *args]
