import { MutationObserver, type InfiniteData } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api-error";
import type { TicketDetail, TicketSummary } from "../api-types";
import { makeQueryClient, shouldRetry } from "./client";
import { queryKeys } from "./keys";
import { ticketListQuery, updateTicketMutation, type TicketListPage } from "./tickets";

const T = "2026-01-01T00:00:00Z";

const summary = (n: number, status: TicketSummary["status"] = "open"): TicketSummary => ({
  id: `t${n}`,
  number: n,
  title: `Ticket ${n}`,
  status,
  priority: "medium",
  category: null,
  source: "call",
  assignee: null,
  created_at: T,
  updated_at: T,
});

const detail = (n: number, status: TicketSummary["status"] = "open"): TicketDetail => ({
  ...summary(n, status),
  description: "",
  chat_session_id: null,
  created_by: null,
  notes: [],
  events: [],
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("shouldRetry", () => {
  it("never retries what the server refused (4xx), retries network and server errors twice", () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429]) {
      expect(shouldRetry(0, new ApiError({ status, code: "x", message: "x" }))).toBe(false);
    }
    const network = new ApiError({ status: 0, code: "network_error", message: "offline" });
    const server = new ApiError({ status: 503, code: "internal_error", message: "down" });
    expect([0, 1, 2].map((n) => shouldRetry(n, network))).toEqual([true, true, false]);
    expect([0, 1, 2].map((n) => shouldRetry(n, server))).toEqual([true, true, false]);
  });

  it("is the client's default for reads; writes are never retried", () => {
    const defaults = makeQueryClient().getDefaultOptions();
    expect(defaults.queries?.retry).toBe(shouldRetry);
    expect(defaults.mutations?.retry).toBe(false);
  });
});

describe("a ticket's status change is optimistic", () => {
  const filters = { q: "", status: "" as const, priority: "" as const, source: "" as const };

  function seeded() {
    const queryClient = makeQueryClient();
    queryClient.setQueryData(queryKeys.tickets.detail(20), detail(20));
    queryClient.setQueryData<InfiniteData<TicketListPage, string | null>>(ticketListQuery(filters).queryKey, {
      pages: [{ items: [summary(19), summary(20)], next_cursor: null }],
      pageParams: [null],
    });
    return queryClient;
  }
  const shownStatus = (queryClient: ReturnType<typeof makeQueryClient>) => [
    queryClient.getQueryData<TicketDetail>(queryKeys.tickets.detail(20))?.status,
    queryClient.getQueryData<InfiniteData<TicketListPage>>(ticketListQuery(filters).queryKey)?.pages[0]?.items[1]?.status,
  ];

  it("shows the new status on the page and in the list before the server answers, then the server's", async () => {
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal("fetch", vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))));
    const queryClient = seeded();
    const saving = new MutationObserver(queryClient, updateTicketMutation(queryClient, 20)).mutate({ status: "resolved" });
    await vi.waitFor(() => expect(shownStatus(queryClient)).toEqual(["resolved", "resolved"]));
    answer(json(200, { ...detail(20, "resolved"), updated_at: "2026-01-02T00:00:00Z" }));
    await saving;
    expect(queryClient.getQueryData<TicketDetail>(queryKeys.tickets.detail(20))?.updated_at).toBe("2026-01-02T00:00:00Z");
    // The lists are asked again (invalidated), not trusted.
    expect(queryClient.getQueryState(ticketListQuery(filters).queryKey)?.isInvalidated).toBe(true);
  });

  it("puts the old status back when the server says no", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(409, { error: { code: "conflict", message: "Changed meanwhile" } })));
    const queryClient = seeded();
    const saving = new MutationObserver(queryClient, updateTicketMutation(queryClient, 20)).mutate({ status: "closed" });
    await expect(saving).rejects.toMatchObject({ code: "conflict" });
    expect(shownStatus(queryClient)).toEqual(["open", "open"]);
  });
});
