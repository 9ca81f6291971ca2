"""The workspace's core tasks timed in a real browser (issue 20: each under 0.5 s), against a
running `deskpilot serve` with the demo data and the offline assistant, signed in.

    uv run python -m bench.browser_tasks --url http://127.0.0.1:8000 \
        --email maria@deskpilot.local --password … --rounds 10

Each task is timed from the agent's action (a key press or a click) to its result on screen
(Playwright in the system's Chromium, desktop viewport), `--rounds` times; prints a Markdown
table of medians and p95s. Writes go to tickets the bench creates itself (through the chat).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

from bench.common import CHROMIUM_ARGS, percentile

REPLY = '[data-testid="message"][data-role="assistant"]'
TIMEOUT_MS = 15_000


def timed(
    results: dict[str, list[float]], task: str, act: Callable[[], Any], done: Callable[[], Any]
) -> None:
    start = time.perf_counter()
    act()
    done()
    results[task].append((time.perf_counter() - start) * 1000)


def one_round(page: Page, results: dict[str, list[float]], n: int) -> None:
    replies = page.locator(REPLY)
    box = page.get_by_test_id("chat-input")

    timed(
        results,
        "open the chat page",
        lambda: page.goto("/dashboard/chat/"),
        lambda: expect(box).to_be_enabled(),
    )

    def finished(shown: Callable[[], Any]) -> Callable[[], None]:
        """`shown`, and the turn over (the composer sends again)."""

        def done() -> None:
            shown()
            expect(page.get_by_test_id("send-button")).to_be_visible(timeout=TIMEOUT_MS)

        return done

    def ask(text: str) -> Callable[[], None]:
        def act() -> None:
            box.fill(text)
            box.press("Enter")

        return act

    timed(
        results,
        "create through the chat: the card",
        ask(f"Create a ticket for the bench kiosk {n} in hall B, its screen stays black"),
        lambda: expect(replies.last).to_have_attribute(
            "data-status", "awaiting_approval", timeout=TIMEOUT_MS
        ),
    )
    timed(
        results,
        "approve: the ticket created",
        lambda: replies.last.get_by_test_id("proposal-approve").click(),
        lambda: expect(replies.last.get_by_test_id("proposal-outcome")).to_contain_text(
            "Created #", timeout=TIMEOUT_MS
        ),
    )
    number = re.findall(r"#(\d+)", replies.last.get_by_test_id("proposal-outcome").inner_text())[0]
    session_url = page.url

    def answered(count: int) -> Callable[[], None]:
        def done() -> None:
            expect(replies).to_have_count(count, timeout=TIMEOUT_MS)
            expect(replies.last).to_have_attribute("data-status", "complete", timeout=TIMEOUT_MS)

        return done

    timed(results, "look up a ticket", ask(f"what's the status of #{number}?"), answered(2))

    def mention() -> None:
        box.fill("#5")
        expect(page.get_by_role("option").first).to_contain_text("#5", timeout=TIMEOUT_MS)
        box.press("Enter")

    chip = page.locator('[data-testid="ticket-chip"][data-ticket-number="5"]')
    timed(
        results,
        "attach a ticket with #",
        mention,
        lambda: expect(chip).to_be_visible(timeout=TIMEOUT_MS),
    )
    box.fill("")
    timed(
        results,
        "update through the chat: the card",
        ask(f"close #{number} please"),  # not ending on "#N": Enter would pick the mention
        lambda: expect(replies.last).to_have_attribute(
            "data-status", "awaiting_approval", timeout=TIMEOUT_MS
        ),
    )
    timed(
        results,
        "approve: the ticket changed",
        lambda: replies.last.get_by_test_id("proposal-approve").click(),
        lambda: expect(replies.last.get_by_test_id("proposal-outcome")).to_contain_text(
            "Closed", timeout=TIMEOUT_MS
        ),
    )

    item = page.locator('[data-testid="session-item"][data-active="true"]')

    def rename() -> None:
        item.get_by_test_id("session-menu").click()
        page.get_by_test_id("session-rename").click()
        field = page.get_by_test_id("session-rename-input")
        field.fill(f"Bench kiosk {n}")
        field.press("Enter")

    timed(
        results,
        "rename a chat",
        rename,
        lambda: expect(item.get_by_test_id("session-title")).to_have_text(f"Bench kiosk {n}"),
    )

    page.goto("/dashboard/tickets/")
    search = page.get_by_test_id("ticket-search")
    expect(search).to_be_enabled()
    timed(
        results,
        "search the tickets",
        lambda: search.fill(f"bench kiosk {n} hall"),
        lambda: expect(page.get_by_test_id("ticket-row").first).to_contain_text(
            f"#{number}", timeout=TIMEOUT_MS
        ),
    )
    timed(
        results,
        "open a ticket",
        lambda: page.get_by_test_id("ticket-row").first.click(),
        lambda: expect(page.get_by_test_id("ticket-title")).to_be_visible(),
    )
    timed(
        results,
        "change a field on the ticket page",
        lambda: page.get_by_test_id("ticket-priority-select").select_option("urgent"),
        lambda: expect(page.get_by_test_id("toast")).to_contain_text(
            "Priority changed", timeout=TIMEOUT_MS
        ),
    )
    timed(
        results,
        "resume a chat",
        lambda: page.goto(session_url),
        lambda: expect(page.locator(REPLY)).to_have_count(3, timeout=TIMEOUT_MS),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not re.match(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/?$", args.url):
        raise SystemExit("the bench targets 127.0.0.1 only")

    results: dict[str, list[float]] = defaultdict(list)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=args.url, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Email").fill(args.email)
        page.get_by_label("Password").fill(args.password)
        page.get_by_role("button", name=re.compile("sign in", re.I)).click()
        expect(page.get_by_test_id("chat-input")).to_be_enabled(timeout=TIMEOUT_MS)
        one_round(page, defaultdict(list), 0)  # warm-up: caches, first compiles
        for n in range(1, args.rounds + 1):
            one_round(page, results, n)
        browser.close()

    print(f"{args.rounds} rounds, Chromium {args.chromium}, 1280×800\n")
    print("| task | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
    for task, values in results.items():
        ordered = sorted(values)
        print(
            f"| {task} | {statistics.median(ordered):.0f} | {percentile(ordered, 95):.0f} | {ordered[-1]:.0f} |"
        )


if __name__ == "__main__":
    main()
