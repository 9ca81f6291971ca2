#!/usr/bin/env python3
"""Content hashes that tell scripts/common.sh (and the browser tests) whether a web app step
must run again. Contents, not modification times: a git checkout, a copy, or the API-schema
drift check (which rewrites lib/api-schema.d.ts with the same text) changes no hash.

  inputs_hash.py web-deps    package-lock.json and the Node version: when to `npm ci` again
  inputs_hash.py web-build   every source of the static export: when to `npm run build` again

Standard library only: it runs before the project's environment exists.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
# Build outputs, installed packages and files no build reads; everything else under
# frontend/ is an input (new folders and config files count without listing them here).
NOT_INPUTS_DIRS = {"node_modules", ".next", "out", "coverage", "docs"}
NOT_INPUTS_FILES = {"next-env.d.ts", "README.md"}


def _node_version() -> str:
    try:
        result = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "no node"
    return result.stdout.strip()


def _build_inputs() -> list[Path]:
    files = []
    for directory, subdirs, names in os.walk(FRONTEND):
        here = Path(directory)
        if here == FRONTEND:
            subdirs[:] = [d for d in subdirs if d not in NOT_INPUTS_DIRS]
        for name in names:
            if here == FRONTEND and name in NOT_INPUTS_FILES:
                continue
            if name.endswith(".tsbuildinfo"):
                continue
            files.append(here / name)
    return sorted(files)


def _digest(files: list[Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for text in extra:
        digest.update(text.encode() + b"\0")
    for path in files:
        # The path too, so that a rename or a move is a change.
        digest.update(path.relative_to(FRONTEND).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    if argv == ["web-deps"]:
        print(_digest([FRONTEND / "package-lock.json"], _node_version()))
    elif argv == ["web-build"]:
        print(_digest(_build_inputs()))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
