"""A runtime directory (XDG_RUNTIME_DIR) for the processes Deskpilot starts.

The embedded PostgreSQL package keeps an inter-process lock file in the user's runtime
directory. Containers, CI runners and root shells often have no XDG_RUNTIME_DIR, and then
platformdirs warns ("XDG_RUNTIME_DIR is not set") and falls back to `/run/user/<uid>` or
`<tmp>/runtime-<uid>`. Setting the variable to that same fallback keeps the lock file where
it always was (so processes started without this still share it) and silences the warning.
"""

import os
import stat
import sys
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o700


def _owned_directory(path: Path, uid: int) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid


def _private_runtime_dir(uid: int) -> Path | None:
    """The platform's runtime dir when it is ours, else <tmp>/runtime-<uid> (made private)."""
    system = Path(f"/run/user/{uid}")
    if _owned_directory(system, uid) and stat.S_IMODE(system.lstat().st_mode) == PRIVATE_MODE:
        return system
    fallback = Path(tempfile.gettempdir()) / f"runtime-{uid}"
    try:
        fallback.mkdir(mode=PRIVATE_MODE, exist_ok=True)
    except OSError:
        return None
    if not _owned_directory(fallback, uid):
        return None  # someone else's (or a symlink): let platformdirs report it
    fallback.chmod(PRIVATE_MODE)
    return fallback


def ensure_runtime_dir() -> None:
    """Set XDG_RUNTIME_DIR for this process and its children when it is missing."""
    if sys.platform == "win32" or os.path.isabs(os.environ.get("XDG_RUNTIME_DIR", "")):
        return
    directory = _private_runtime_dir(os.geteuid())
    if directory is not None:
        os.environ["XDG_RUNTIME_DIR"] = str(directory)
