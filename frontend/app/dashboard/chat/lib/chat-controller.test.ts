import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage, ChatSession, ChatSessionDetail } from "@/lib/types";
import { createChatController, type ChatController } from "./chat-controller";

const T = "2026-01-01T00:00:00Z";

const session = (id: string): ChatSession => ({
  id,
  title: "Printers",
  created_at: T,
  updated_at: T,
  attached_tickets: [],
});

const detail = (id: string, messages: ChatMessage[] = [], hasMore = false): ChatSessionDetail => ({
  ...session(id),
  messages,
  has_more: hasMore,
});

const message = (id: string, role: ChatMessage["role"], content: string): ChatMessage => ({
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

async function opened(sessionId: string, routes: Record<string, Route>, messages: ChatMessage[] = [], hasMore = false) {
  const calls = serve({ [`GET /chat/sessions/${sessionId}`]: () => json(200, detail(sessionId, messages, hasMore)), ...routes });
  const chat = createChatController();
  chat.open(sessionId);
  await vi.waitFor(() => expect(chat.store.getState().phase).toBe("ready"));
  return { chat, calls };
}

const phase = (chat: ChatController) => chat.store.getState().phase;

beforeEach(() => {
  vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0));
  vi.stubGlobal("cancelAnimationFrame", (id: number) => clearTimeout(id));
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("a chat that is gone is told by the error code", () => {
  it("opening an unknown session shows 'not found'", async () => {
    serve({ "GET /chat/sessions/gone": () => apiError(404, "session_not_found", "Chat session not found") });
    const chat = createChatController();
    chat.open("gone");
    await vi.waitFor(() => expect(phase(chat)).toBe("not_found"));
  });

  it("attaching to a chat deleted elsewhere shows 'not found', whatever the message says", async () => {
    const { chat } = await opened("s1", {
      "PATCH /chat/sessions/s1/tickets": () => apiError(404, "session_not_found", "This chat no longer exists"),
    });
    await expect(chat.attach([7])).rejects.toMatchObject({ code: "session_not_found" });
    expect(phase(chat)).toBe("not_found");
  });

  it("a missing ticket keeps the chat open, even when its message mentions the session", async () => {
    const { chat } = await opened("s1", {
      "PATCH /chat/sessions/s1/tickets": () => apiError(404, "not_found", "Ticket #99 is not in this session's desk"),
    });
    await expect(chat.attach([99])).rejects.toMatchObject({ code: "not_found" });
    expect(phase(chat)).toBe("ready");
  });

  it("sending to a chat deleted elsewhere shows 'not found'; another 404 is the message's error", async () => {
    const { chat } = await opened("s1", {
      "POST /chat/sessions/s1/messages": () => apiError(404, "session_not_found", "Chat session not found"),
    });
    await chat.send("hello");
    expect(phase(chat)).toBe("not_found");

    const other = await opened("s2", {
      "POST /chat/sessions/s2/messages": () => apiError(404, "not_found", "Message not found in this session"),
    });
    await other.chat.send("hello");
    const state = other.chat.store.getState();
    expect(state.phase).toBe("ready");
    expect(state.messages.find((m) => m.role === "user")?.error).toEqual({
      code: "not_found",
      message: "Message not found in this session",
    });
  });
});

describe("the store is the one source of truth", () => {
  it("a second send while a reply is being generated is refused", async () => {
    let finish: (response: Response) => void = () => undefined;
    const { chat, calls } = await opened("s1", {
      "POST /chat/sessions/s1/messages": () => new Promise<Response>((resolve) => (finish = resolve)),
    });
    const first = chat.send("one");
    const second = chat.send("two");
    await second;
    await vi.waitFor(() => expect(calls).toContain("POST /chat/sessions/s1/messages"));
    finish(
      sse(
        ["text_delta", { text: "Hi" }],
        ["assistant_message", { message: { ...message("a1", "assistant", "Hi"), client_message_id: null } }],
        ["done", {}],
      ),
    );
    await first;
    expect(calls.filter((c) => c.startsWith("POST")).length).toBe(1);
    const { messages, pendingTurn } = chat.store.getState();
    expect(pendingTurn).toBeNull();
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "one"],
      ["assistant", "Hi"],
    ]);
  });

  it("the first actions of a new chat share one created session", async () => {
    const calls = serve({
      "POST /chat/sessions": () => json(201, session("new")),
      "PATCH /chat/sessions/new/tickets": () => json(200, { ...session("new"), system_message: null }),
    });
    const chat = createChatController();
    const created = vi.fn();
    chat.setCallbacks({ onSessionCreated: created });
    await Promise.all([chat.attach([1]), chat.attach([2])]);
    expect(calls.filter((c) => c === "POST /chat/sessions").length).toBe(1);
    expect(created).toHaveBeenCalledOnce();
    expect(chat.store.getState().sessionId).toBe("new");
    // Re-opening the session just created does not load it again.
    expect(chat.open("new")).toBeUndefined();
  });

  it("older messages are fetched once however often the list asks", async () => {
    let finish: (response: Response) => void = () => undefined;
    const { chat, calls } = await opened(
      "s1",
      { "GET /chat/sessions/s1/messages": () => new Promise<Response>((resolve) => (finish = resolve)) },
      [message("m2", "user", "later")],
      true,
    );
    const first = chat.loadOlder();
    await chat.loadOlder();
    finish(json(200, { items: [message("m1", "user", "earlier")], has_more: false }));
    await first;
    expect(calls.filter((c) => c === "GET /chat/sessions/s1/messages").length).toBe(1);
    expect(chat.store.getState().messages.map((m) => m.content)).toEqual(["earlier", "later"]);
  });

  it("subscribers hear each change, and the state they read is the one the controller acts on", async () => {
    serve({ "GET /chat/sessions/s1": () => json(200, detail("s1")) });
    const chat = createChatController();
    const seen: string[] = [];
    const unsubscribe = chat.store.subscribe(() => seen.push(chat.store.getState().phase));
    chat.open("s1");
    await vi.waitFor(() => expect(seen).toEqual(["loading", "ready"]));
    unsubscribe();
    chat.open(null);
    expect(seen).toEqual(["loading", "ready"]);
    expect(chat.store.getState().sessionId).toBeNull();
  });
});
