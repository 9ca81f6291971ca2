"""The API, called as the page's user (its cookies and CSRF token)."""

from typing import Any

from playwright.sync_api import APIResponse, Page


def csrf_token(page: Page) -> str:
    for cookie in page.context.cookies():
        if cookie.get("name") == "deskpilot_csrf":
            return str(cookie.get("value"))
    raise AssertionError("no deskpilot_csrf cookie: not signed in?")


def api_get(page: Page, path: str, **params: Any) -> Any:
    response: APIResponse = page.request.get(path, params=params or None)
    assert response.ok, f"GET {path}: {response.status} {response.text()}"
    return response.json()


def api_post(page: Page, path: str, data: Any) -> Any:
    response = page.request.post(path, data=data, headers={"X-CSRF-Token": csrf_token(page)})
    assert response.ok, f"POST {path}: {response.status} {response.text()}"
    return response.json()


def api_patch(page: Page, path: str, data: Any) -> Any:
    response = page.request.patch(path, data=data, headers={"X-CSRF-Token": csrf_token(page)})
    assert response.ok, f"PATCH {path}: {response.status} {response.text()}"
    return response.json()


def api_delete(page: Page, path: str) -> None:
    response = page.request.delete(path, headers={"X-CSRF-Token": csrf_token(page)})
    assert response.status == 204, f"DELETE {path}: {response.status} {response.text()}"


def search_numbers(page: Page, q: str, status: str = "all", limit: int = 30) -> list[int]:
    hits = api_get(page, "/api/tickets/search", q=q, status=status, limit=limit)["items"]
    return [int(hit["number"]) for hit in hits]
