import { MutationObserver, type InfiniteData } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api-error";
import type { ChatMessage, TicketDetail, TicketSummary } from "../api-types";
import { firstPage, flattenMessages, supersedeFrom, updateProposal } from "./chat-cache";
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

describe("a ticket write names the version it was made on", () => {
  it("sends If-Match with the updated_at shown, and shows the fresh ticket when it was stale", async () => {
    const fresh = { ...detail(20, "in_progress"), updated_at: "2026-01-03T00:00:00Z" };
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      json(409, { error: { code: "stale", message: "Ticket #20 changed since you loaded it" }, ticket: fresh }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const queryClient = makeQueryClient();
    queryClient.setQueryData(queryKeys.tickets.detail(20), detail(20));

    const saving = new MutationObserver(queryClient, updateTicketMutation(queryClient, 20)).mutate({ status: "closed" });

    await expect(saving).rejects.toMatchObject({ code: "stale" });
    const headers = fetchMock.mock.calls[0]?.[1]?.headers as Record<string, string>;
    expect(headers["If-Match"]).toBe(`"${T}"`);
    expect(queryClient.getQueryData<TicketDetail>(queryKeys.tickets.detail(20))).toEqual(fresh);
  });
});

describe("a proposal decided, undone or refreshed", () => {
  it("changes its card and its tool call line in the cached messages", () => {
    const proposal = {
      id: "p1",
      message_id: "a1",
      tool_call_id: "call_1",
      tool: "update_ticket",
      state: "pending" as const,
      headline: "Close #20?",
      ticket: summary(20),
      changes: [{ field: "status", from: "open", to: "closed" }],
      note: null,
      new_ticket: null,
      arguments: { ticket_id: 20, status: "closed" },
      edited: false,
      reason: null,
      summary: null,
      automatic: false,
      decided_by: null,
      decided_at: null,
      undone_at: null,
      undone_by: null,
      created_at: T,
    };
    const message: ChatMessage = {
      id: "a1",
      session_id: "s1",
      role: "assistant",
      content: "",
      ticket_refs: [],
      tickets: [],
      tool_calls: [
        {
          id: "call_1",
          name: "update_ticket",
          arguments: {},
          status: "proposed",
          summary: "Waiting",
          duration_ms: 1,
          ticket_ids: [],
          proposal_id: "p1",
        },
      ],
      status: "awaiting_approval",
      error: null,
      client_message_id: null,
      created_at: T,
      proposals: [proposal],
    };
    const pages = firstPage({ items: [message], has_more: false });
    const executed = { ...proposal, state: "executed" as const, summary: "Updated ticket #20" };

    const [after] = flattenMessages(updateProposal(pages, executed));

    expect(after?.proposals).toEqual([executed]);
    expect([after?.tool_calls?.[0]?.status, after?.tool_calls?.[0]?.summary]).toEqual(["executed", "Updated ticket #20"]);
    expect(updateProposal(pages, { ...executed, id: "elsewhere" })).toBe(pages);
  });
});

describe("edit-and-resend or regenerate", () => {
  const message = (id: string, role: ChatMessage["role"]): ChatMessage => ({
    id,
    session_id: "s1",
    role,
    content: id,
    ticket_refs: [],
    tickets: [],
    tool_calls: null,
    status: "complete",
    error: null,
    client_message_id: null,
    created_at: T,
  });

  it("marks the replaced message and the user and assistant messages after it superseded", () => {
    const data = firstPage({
      items: [message("u1", "user"), message("a1", "assistant"), message("u2", "user"), message("s1", "system"), message("a2", "assistant")],
      has_more: false,
    });
    const marked = flattenMessages(supersedeFrom(data, "u2")).map((m) => [m.id, m.superseded ?? false]);
    expect(marked).toEqual([
      ["u1", false],
      ["a1", false],
      ["u2", true],
      ["s1", false],
      ["a2", true],
    ]);
    expect(supersedeFrom(data, "nope")).toBe(data);
  });
});
