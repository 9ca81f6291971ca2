"""The real-model lane (scripts/test-real-model.sh, `make test-real-model`): these tests talk
to a real OpenAI-compatible server with a real small model, whose URL the script passes in
DESKPILOT_REAL_MODEL_URL. Without it (the ordinary test run) they are skipped."""

import os

import pytest

REAL_MODEL_URL = os.environ.get("DESKPILOT_REAL_MODEL_URL", "")
REAL_MODEL_NAME = os.environ.get("DESKPILOT_REAL_MODEL_NAME", "gemma")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if REAL_MODEL_URL:
        return
    skip = pytest.mark.skip(reason="no real model server (run `make test-real-model`)")
    for item in items:
        if "tests/real_model/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(skip)
