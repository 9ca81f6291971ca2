"""Hatch build hook: put the built web app (frontend/out) into the wheel.

The source and target folders are set in pyproject.toml
([tool.hatch.build.targets.wheel.hooks.custom]). An editable install (`uv sync`) links
the source tree instead, where the app finds frontend/out itself, so it needs no build.
"""

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WebAppBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        source = Path(self.root) / self.config["web-app-source"]
        if not (source / "index.html").is_file():
            raise RuntimeError(
                f"The web app is not built ({source}/index.html is missing), so the wheel "
                "would serve the API only. Build it first: "
                "cd frontend && npm ci && npm run build"
            )
        build_data["force_include"][str(source)] = self.config["web-app-target"]
