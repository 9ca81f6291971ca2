"""Packaging beyond pyproject.toml: the import package `deskpilot` is the folder backend/
(the spec's file paths stay as they are), and the wheel carries the built web app."""

import shutil
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB_APP = ROOT / "frontend" / "out"


class BuildWithWebApp(build_py):
    """Copies the static export into deskpilot/web (not in editable installs: there the app
    serves frontend/out from the checkout)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        if not (WEB_APP / "index.html").is_file() or not (WEB_APP / "csp-hashes.json").is_file():
            raise SystemExit(
                "frontend/out is missing or incomplete: build the web app first "
                "(cd frontend && npm ci && npm run build)"
            )
        shutil.copytree(WEB_APP, Path(self.build_lib) / "deskpilot" / "web", dirs_exist_ok=True)


setup(
    package_dir={"deskpilot": "backend"},
    packages=[
        "deskpilot",
        *(
            f"deskpilot.{name}"
            for name in find_namespace_packages(
                "backend", exclude=["*__pycache__*", "web", "web.*"]
            )
        ),
    ],
    package_data={"deskpilot.migrations": ["script.py.mako"]},
    cmdclass={"build_py": BuildWithWebApp},
)
