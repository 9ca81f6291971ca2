"""How much JavaScript a web app page costs over the wire, from a running `deskpilot serve`.

    uv run python -m bench.web_weight --url http://127.0.0.1:8000 --page /dashboard/chat/
    uv run python -m bench.web_weight --browser --email maria@deskpilot.local --password …

Default: fetches the page with `Accept-Encoding: gzip`, takes the scripts its HTML names
(`<script src>` and `<link rel=preload as=script>`), fetches each the same way and sums the
bytes that travelled (the body as sent, before decoding) beside their decoded size.

`--browser`: signs in through the API, opens the page in the system's Chromium (Playwright)
and sums the encoded body sizes of every script the page loaded until the network was idle,
including chunks it imports on demand.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from bench.common import CHROMIUM_ARGS

SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=\"([^\"]+)\"")
PRELOAD = re.compile(r"<link[^>]*\sas=\"script\"[^>]*\shref=\"([^\"]+)\"")


@dataclass(frozen=True)
class Transfer:
    url: str
    wire: int  # bytes of the body as sent
    decoded: int
    encoding: str


def fetch(http: httpx.Client, url: str) -> Transfer:
    with http.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        response.raise_for_status()
        wire = sum(len(chunk) for chunk in response.iter_raw())
        encoding = response.headers.get("content-encoding", "identity")
    decoded = len(http.get(url, headers={"Accept-Encoding": "identity"}).content)
    return Transfer(url, wire, decoded, encoding)


def scripts_named_in(html: str, base: str) -> list[str]:
    found = SCRIPT_SRC.findall(html) + PRELOAD.findall(html)
    return list(dict.fromkeys(urljoin(base, src) for src in found))


def from_html(base_url: str, page: str) -> tuple[Transfer, list[Transfer]]:
    with httpx.Client(timeout=30) as http:
        page_url = urljoin(base_url, page)
        html = http.get(page_url).raise_for_status().text
        return fetch(http, page_url), [fetch(http, u) for u in scripts_named_in(html, page_url)]


def from_browser(base_url: str, page: str, email: str, password: str) -> list[Transfer]:
    from playwright.sync_api import Response, sync_playwright

    with httpx.Client(base_url=base_url, timeout=30) as http:
        login = http.post("/api/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        cookies = [
            {"name": c.name, "value": c.value or "", "url": base_url} for c in http.cookies.jar
        ]
    transfers: list[Transfer] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_cookies(cookies)  # type: ignore[arg-type]
        tab = context.new_page()
        responses: list[Response] = []
        tab.on("response", lambda response: responses.append(response))
        tab.goto(urljoin(base_url, page), wait_until="networkidle")
        for response in responses:
            if response.request.resource_type != "script":
                continue
            sizes = response.request.sizes()
            transfers.append(
                Transfer(
                    response.url,
                    sizes["responseBodySize"],
                    len(response.body()),
                    response.headers.get("content-encoding", "identity"),
                )
            )
        browser.close()
    return transfers


def report(transfers: list[Transfer]) -> None:
    for t in sorted(transfers, key=lambda t: -t.wire):
        name = t.url.rsplit("/", 1)[-1]
        print(f"  {name:<40} {t.wire / 1024:8.1f} KB ({t.encoding}) of {t.decoded / 1024:8.1f} KB")
    wire = sum(t.wire for t in transfers) / 1024
    decoded = sum(t.decoded for t in transfers) / 1024
    print(
        f"JavaScript: {len(transfers)} scripts, {wire:.1f} KB over the wire, {decoded:.1f} KB decoded"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--page", default="/dashboard/chat/")
    parser.add_argument("--browser", action="store_true", help="load it signed in, in Chromium")
    parser.add_argument("--email", default="maria@deskpilot.local")
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    if args.browser:
        print(f"{args.page} signed in as {args.email}, scripts loaded in Chromium:")
        report(from_browser(args.url, args.page, args.email, args.password))
        return
    page, scripts = from_html(args.url, args.page)
    print(f"{args.page}: HTML {page.wire / 1024:.1f} KB over the wire ({page.encoding})")
    report(scripts)


if __name__ == "__main__":
    main()
