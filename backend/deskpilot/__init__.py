"""Deskpilot: a support helpdesk with an AI copilot."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The installed distribution's version (pyproject.toml), the one `deskpilot --version` prints.
    __version__ = version("deskpilot")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"
