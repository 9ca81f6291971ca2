import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorCode, hasErrorCode } from "@/lib/api";
import type { ChatMessage, ChatSession, ChatSessionsPage, TicketSummary } from "@/lib/api-types";
import { chatSessionQuery } from "@/lib/queries/chat";
import { firstPage, flattenMessages, type MessagePages, type SessionPages } from "@/lib/queries/chat-cache";
import { makeQueryClient } from "@/lib/queries/client";
import { queryKeys } from "@/lib/queries/keys";
import { createChatController } from "./chat-controller";
import { composeMessages } from "./compose-messages";

const T = "2026-01-01T00:00:00Z";

const session = (id: string, attached: TicketSummary[] = []): ChatSession => ({
  id,
  title: "Printers",
  created_at: T,
  updated_at: T,
  attached_tickets: attached,
});

const ticket = (n: number): TicketSummary => ({
  id: `t${n}`,
  number: n,
  title: `Ticket ${n}`,
  status: "open",
  priority: "medium",
  category: null,
  source: "call",
  assignee: null,
  created_at: T,
  updated_at: T,
});

const message = (id: string, role: ChatMessage["role"], content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  session_id: "s1",
  role,
  content,
  ticket_refs: [],
  tickets: [],
  tool_calls: null,
  status: "complete",
  error: null,
  client_message_id: null,
  created_at: T,
  ...extra,
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const apiError = (status: number, code: string, text: string) => json(status, { error: { code, message: text, details: [] } });

const sse = (...events: [string, unknown][]) =>
  new Response(events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(""), {
    status: 200,
    headers: { "Content-Type": "text/event-stream" },
  });

type Route = (init: RequestInit) => Response | Promise<Response>;

/** A fake server: "METHOD /path" → answer; every request is recorded. */
function serve(routes: Record<string, Route>) {
  const calls: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      const key = `${init.method} ${url.replace(/^\/api/, "").replace(/\?.*$/, "")}`;
      calls.push(key);
      const route = routes[key];
      if (!route) throw new Error(`unexpected request ${key}`);
      return route(init);
    }),
  );
  return calls;
}

const sessionsPage = (items: ChatSessionsPage["items"]): SessionPages => ({
  pages: [{ items, next_cursor: null }],
  pageParams: [null],
});

/** A page showing chat `s1`, its data in the cache as the queries left it. */
function opened(routes: Record<string, Route>, messages: ChatMessage[] = [], attached: TicketSummary[] = []) {
  const calls = serve({ "GET /chat/sessions": () => json(200, { items: [], next_cursor: null }), ...routes });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.chat.session("s1"), session("s1", attached));
  queryClient.setQueryData<MessagePages>(queryKeys.chat.messages("s1"), firstPage({ items: messages, has_more: false }));
  queryClient.setQueryData<SessionPages>(
    queryKeys.chat.sessions(),
    sessionsPage([{ id: "s1", title: "Printers", created_at: T, updated_at: T, attached_ticket_count: 0, last_message_preview: null }]),
  );
  const chat = createChatController(queryClient);
  chat.open("s1");
  return { chat, calls, queryClient };
}

const cachedMessages = (queryClient: QueryClient, id = "s1") =>
  flattenMessages(queryClient.getQueryData<MessagePages>(queryKeys.chat.messages(id)));
const attachedNumbers = (queryClient: QueryClient, id = "s1") =>
  queryClient.getQueryData<ChatSession>(queryKeys.chat.session(id))?.attached_tickets.map((t) => t.number);

beforeEach(() => {
  vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0));
  vi.stubGlobal("cancelAnimationFrame", (id: number) => clearTimeout(id));
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("a chat that is gone is told by the error code", () => {
  it("opening an unknown session fails with session_not_found, asked once", async () => {
    const calls = serve({ "GET /chat/sessions/gone": () => apiError(404, "session_not_found", "Chat session not found") });
    const queryClient = makeQueryClient();
    const error = await queryClient.fetchQuery(chatSessionQuery(queryClient, "gone")).catch((e: unknown) => e);
    expect(hasErrorCode(error, ErrorCode.sessionNotFound)).toBe(true);
    expect(calls).toEqual(["GET /chat/sessions/gone"]);
  });

  it("attaching to a chat deleted elsewhere shows 'gone', whatever the message says", async () => {
    const { chat, queryClient } = opened({
      "PATCH /chat/sessions/s1/tickets": () => apiError(404, "session_not_found", "This chat no longer exists"),
    });
    await expect(chat.attach([ticket(7)])).rejects.toMatchObject({ code: "session_not_found" });
    expect(chat.store.getState().gone).toBe(true);
    // And it leaves the list of chats.
    const listed = queryClient.getQueryData<SessionPages>(queryKeys.chat.sessions());
    expect(listed?.pages[0]?.items).toEqual([]);
  });

  it("a missing ticket keeps the chat open and takes the chip back, even when its message mentions the session", async () => {
    let answer: (r: Response) => void = () => undefined;
    const { chat, queryClient } = opened({
      "PATCH /chat/sessions/s1/tickets": () => new Promise<Response>((resolve) => (answer = resolve)),
      "GET /chat/sessions/s1": () => json(200, { ...session("s1"), messages: [], has_more: false }),
    });
    const attaching = chat.attach([ticket(99)]);
    // Optimistic: the chip shows before the server answers.
    await vi.waitFor(() => expect(attachedNumbers(queryClient)).toEqual([99]));
    answer(apiError(404, "not_found", "Ticket #99 is not in this session's desk"));
    await expect(attaching).rejects.toMatchObject({ code: "not_found" });
    expect(chat.store.getState().gone).toBe(false);
    expect(attachedNumbers(queryClient)).toEqual([]);
  });

  it("sending to a chat deleted elsewhere shows 'gone'; another 404 is the message's error", async () => {
    const { chat } = opened({
      "POST /chat/sessions/s1/messages": () => apiError(404, "session_not_found", "Chat session not found"),
    });
    await chat.send("hello");
    expect(chat.store.getState().gone).toBe(true);

    const other = opened({
      "POST /chat/sessions/s1/messages": () => apiError(404, "not_found", "Message not found in this session"),
    });
    await other.chat.send("hello");
    const state = other.chat.store.getState();
    expect(state.gone).toBe(false);
    expect(composeMessages([], state).find((m) => m.role === "user")?.error).toEqual({
      code: "not_found",
      message: "Message not found in this session",
    });
  });
});

describe("the stored messages land in the query cache", () => {
  it("a finished turn's message and reply are in the cache, and the chat moves up the list", async () => {
    const { chat, queryClient } = opened({
      "POST /chat/sessions/s1/messages": (init) => {
        const { client_message_id } = JSON.parse(init.body as string) as { client_message_id: string };
        return sse(
          ["user_message", { message: message("u1", "user", "hello", { client_message_id }) }],
          ["text_delta", { text: "Hi" }],
          ["assistant_message", { message: message("a1", "assistant", "Hi there") }],
          ["done", {}],
        );
      },
    });
    await chat.send("hello");
    expect(cachedMessages(queryClient).map((m) => m.id)).toEqual(["u1", "a1"]);
    const state = chat.store.getState();
    expect(state.pendingTurn).toBeNull();
    expect(composeMessages(cachedMessages(queryClient), state).map((m) => [m.role, m.content])).toEqual([
      ["user", "hello"],
      ["assistant", "Hi there"],
    ]);
    const listed = queryClient.getQueryData<SessionPages>(queryKeys.chat.sessions());
    expect(listed?.pages[0]?.items[0]).toMatchObject({ id: "s1", last_message_preview: "hello" });
  });

  it("a retry's reply replaces the failed one in the cache, as on the server", async () => {
    const u1 = message("u1", "user", "hi", { client_message_id: "c1", status: "failed" });
    const f1 = message("f1", "assistant", "", { status: "failed", error: { code: "provider_error", message: "down" } });
    const { chat, queryClient } = opened(
      {
        "POST /chat/sessions/s1/messages": () =>
          sse(
            ["user_message", { message: { ...u1, status: "complete" } }],
            ["assistant_message", { message: message("a2", "assistant", "Fixed.") }],
            ["done", {}],
          ),
      },
      [u1, f1],
    );
    const [shownUser] = composeMessages(cachedMessages(queryClient), chat.store.getState());
    expect(shownUser?.error).toEqual({ code: "provider_error", message: "down" });
    await chat.retry(shownUser!);
    expect(cachedMessages(queryClient).map((m) => m.id)).toEqual(["u1", "a2"]);
    const shownAfter = composeMessages(cachedMessages(queryClient), chat.store.getState());
    expect(shownAfter.map((m) => [m.role, m.content, m.error])).toEqual([
      ["user", "hi", null],
      ["assistant", "Fixed.", null],
    ]);
  });
});

describe("one source of truth", () => {
  it("a second send while a reply is being generated is refused", async () => {
    let finish: (response: Response) => void = () => undefined;
    const { chat, calls } = opened({
      "POST /chat/sessions/s1/messages": () => new Promise<Response>((resolve) => (finish = resolve)),
    });
    const first = chat.send("one");
    await chat.send("two");
    await vi.waitFor(() => expect(calls).toContain("POST /chat/sessions/s1/messages"));
    finish(sse(["text_delta", { text: "Hi" }], ["assistant_message", { message: message("a1", "assistant", "Hi") }], ["done", {}]));
    await first;
    expect(calls.filter((c) => c.startsWith("POST")).length).toBe(1);
    expect(chat.store.getState().turns.map((t) => t.user.content)).toEqual(["one"]);
  });

  it("the first actions of a new chat share one created session, whose data is cached at once", async () => {
    const calls = serve({
      "POST /chat/sessions": () => json(201, session("new")),
      "PATCH /chat/sessions/new/tickets": (init) => {
        const { attach } = JSON.parse(init.body as string) as { attach: string[] };
        return json(200, { ...session("new", attach.map((id) => ticket(Number(id.slice(1))))), system_message: null });
      },
    });
    const queryClient = makeQueryClient();
    const chat = createChatController(queryClient);
    const created = vi.fn();
    chat.setCallbacks({ onSessionCreated: created });
    await Promise.all([chat.attach([ticket(1)]), chat.attach([ticket(2)])]);
    expect(calls.filter((c) => c === "POST /chat/sessions").length).toBe(1);
    expect(created).toHaveBeenCalledOnce();
    expect(chat.store.getState().sessionId).toBe("new");
    expect(queryClient.getQueryData(queryKeys.chat.messages("new"))).toEqual(firstPage({ items: [], has_more: false }));
    expect(attachedNumbers(queryClient, "new")).toHaveLength(1);
  });

  it("detaching takes the chip away at once and shows the server's notice", async () => {
    let answer: (r: Response) => void = () => undefined;
    const { chat, queryClient } = opened(
      { "PATCH /chat/sessions/s1/tickets": () => new Promise<Response>((resolve) => (answer = resolve)) },
      [],
      [ticket(5), ticket(6)],
    );
    const detaching = chat.detach([ticket(5)]);
    await vi.waitFor(() => expect(attachedNumbers(queryClient)).toEqual([6]));
    expect(chat.store.getState().savingTickets).toEqual(["t5"]);
    answer(json(200, { ...session("s1", [ticket(6)]), system_message: message("n1", "system", "Detached #5") }));
    await detaching;
    expect(attachedNumbers(queryClient)).toEqual([6]);
    expect(cachedMessages(queryClient).map((m) => m.content)).toEqual(["Detached #5"]);
    expect(chat.store.getState().savingTickets).toEqual([]);
  });
});
