"""The static export's production bundle: TanStack Query is in it, its devtools are not
(they load in development only; components/query-provider.tsx)."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# A message of react-query's useQueryClient, and markers of the devtools' code and styles.
QUERY_LIBRARY = "No QueryClient set"
DEVTOOLS = ("TanstackQueryDevtools", "ReactQueryDevtools", "tsqd-")


def test_the_query_devtools_are_not_shipped(frontend_dir: Path) -> None:
    scripts = {path: path.read_text(errors="replace") for path in frontend_dir.rglob("*.js")}
    assert any(QUERY_LIBRARY in text for text in scripts.values()), (
        "no TanStack Query in the build?"
    )
    shipped = [
        f"{path.name}: {marker}"
        for path, text in scripts.items()
        for marker in DEVTOOLS
        if marker in text
    ]
    assert shipped == []
