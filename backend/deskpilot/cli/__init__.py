"""`deskpilot` command line: serve, migrate, seed-demo, create-user, backup, restore, openapi,
env-example, eval. Each module adds its commands to the one app."""

from deskpilot.cli import data, serve, tools
from deskpilot.cli.common import app

__all__ = ["app", "data", "serve", "tools"]
