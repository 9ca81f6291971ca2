"""Scratch directories for embedded PostgreSQL data in tests."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def embedded_scratch_dir(name: str) -> Iterator[Path]:
    """A directory outside pytest's tmp_path: run as root, the server runs as another user who
    must traverse its parents, and every pytest session makes /tmp/pytest-of-<user> private
    again (mode 0700), which would shut a running server out of its own files."""
    path = Path(tempfile.mkdtemp(prefix=f"deskpilot-{name}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
