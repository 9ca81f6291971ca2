"""Holding a page's requests back until a test lets them go (scripts before hydration,
`/api/auth/me` while the page starts)."""

import re

from playwright.sync_api import Page, Route


class RequestGate:
    """Requests matching `pattern` wait until `open()`; later ones pass at once."""

    def __init__(self, page: Page, pattern: str | re.Pattern[str]) -> None:
        self.held: list[Route] = []
        self._open = False
        page.route(pattern, self._hold)

    def _hold(self, route: Route) -> None:
        if self._open:
            route.continue_()
        else:
            self.held.append(route)

    def open(self) -> None:
        self._open = True
        for route in self.held:
            route.continue_()
