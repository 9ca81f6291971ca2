import { describe, expect, it } from "vitest";
import type { ChatMessage, TicketSummary } from "@/lib/api-types";
import { chatReducer, composeMessages, initialChatState, normalizeMessages, type ChatAction, type ChatState } from "./chat-state";

const T = "2026-01-01T00:00:00Z";

function msg(partial: Partial<ChatMessage> & Pick<ChatMessage, "id" | "role">): ChatMessage {
  return {
    session_id: "s1",
    content: "",
    ticket_refs: [],
    tickets: [],
    tool_calls: null,
    status: "complete",
    error: null,
    client_message_id: null,
    created_at: T,
    ...partial,
  };
}

const ticket: TicketSummary = {
  id: "t61",
  number: 61,
  title: "VPN outage in Berlin",
  status: "open",
  priority: "urgent",
  category: "network",
  source: "chat",
  assignee: null,
  created_at: T,
  updated_at: T,
};

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state);
}

const opened = (): ChatState => run(initialChatState, { type: "open", sessionId: "s1" });
const stored = (id: string, role: ChatMessage["role"], content: string, extra: Partial<ChatMessage> = {}) =>
  msg({ id, role, content, ...extra });
/** What the page shows: [key, role, status, content] of each message. */
const shown = (messages: ChatMessage[], state: ChatState) =>
  composeMessages(messages, state).map((m) => [m.key, m.role, m.status, m.content]);

describe("a streamed turn over the stored messages", () => {
  it("shows the message at once, streams the reply, then shows the stored ones in the same bubbles", () => {
    let s = run(opened(), { type: "turn_start", clientMessageId: "c1", content: "Create a ticket", now: T });
    expect(s.pendingTurn).toBe("c1");
    expect(shown([], s)).toEqual([
      ["user:c1", "user", "pending", "Create a ticket"],
      ["assistant:c1", "assistant", "pending", ""],
    ]);

    // The server stored the message: the cache has it, and it is shown once.
    const u1 = stored("u1", "user", "Create a ticket", { client_message_id: "c1" });
    s = run(s, {
      type: "turn_tool_started",
      clientMessageId: "c1",
      event: { id: "k1", name: "create_ticket", arguments: {}, label: "Creating a ticket…" },
    });
    expect(shown([u1], s)).toEqual([
      ["user:c1", "user", "complete", "Create a ticket"],
      ["assistant:c1", "assistant", "streaming", ""],
    ]);
    expect(composeMessages([u1], s)[1]?.tools).toEqual([
      { id: "k1", name: "create_ticket", label: "Creating a ticket…", status: "running", summary: null },
    ]);

    s = run(
      s,
      {
        type: "turn_tool_finished",
        clientMessageId: "c1",
        event: { id: "k1", name: "create_ticket", status: "ok", summary: "Created ticket #61", duration_ms: 3, tickets: [ticket] },
      },
      { type: "turn_delta", clientMessageId: "c1", text: "Created " },
      { type: "turn_delta", clientMessageId: "c1", text: "#61." },
    );
    const live = composeMessages([u1], s)[1]!;
    expect(live).toMatchObject({ content: "Created #61.", status: "streaming" });
    expect(live.tools[0]).toMatchObject({ status: "ok", summary: "Created ticket #61" });
    expect(live.tickets.map((t) => t.number)).toEqual([61]);

    const a1 = stored("a1", "assistant", "Created #61.", { tickets: [ticket], ticket_refs: ["t61"] });
    s = run(s, { type: "turn_reply", clientMessageId: "c1", message: a1 }, { type: "turn_end", clientMessageId: "c1" });
    expect(s.pendingTurn).toBeNull();
    expect(shown([u1, a1], s)).toEqual([
      ["user:c1", "user", "complete", "Create a ticket"],
      ["assistant:c1", "assistant", "complete", "Created #61."],
    ]);
    // Before the cache has the reply, the live copy of it stands in (nothing flickers away).
    expect(shown([u1], s)).toEqual(shown([u1, a1], s));
  });

  it("puts a failure under the message; a retry clears it and replaces the failed reply", () => {
    const u1 = stored("u1", "user", "hi", { client_message_id: "c1" });
    let s = run(
      opened(),
      { type: "turn_start", clientMessageId: "c1", content: "hi", now: T },
      { type: "turn_error", clientMessageId: "c1", error: { code: "provider_error", message: "The model failed" } },
      { type: "turn_end", clientMessageId: "c1" },
    );
    const failed = composeMessages([u1], s);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toEqual({ code: "provider_error", message: "The model failed" });

    // Retry: the same message, no error while it runs, the stored failed reply hidden.
    const f1 = stored("f1", "assistant", "", { status: "failed", error: { code: "provider_error", message: "down" } });
    s = run(s, { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    expect(shown([u1, f1], s)).toEqual([
      ["user:c1", "user", "complete", "hi"],
      ["assistant:c1", "assistant", "pending", ""],
    ]);
    expect(composeMessages([u1, f1], s)[0]?.error).toBeNull();

    const a2 = stored("a2", "assistant", "Fixed.");
    s = run(s, { type: "turn_reply", clientMessageId: "c1", message: a2 }, { type: "turn_end", clientMessageId: "c1" });
    expect(shown([u1, a2], s)).toEqual([
      ["user:c1", "user", "complete", "hi"],
      ["assistant:c1", "assistant", "complete", "Fixed."],
    ]);
    expect(composeMessages([u1, a2], s)[0]?.error).toBeNull();
  });

  it("keeps a stopped reply in its place, before the turns that followed", () => {
    const u1 = stored("u1", "user", "one", { client_message_id: "c1" });
    const u2 = stored("u2", "user", "two", { client_message_id: "c2" });
    const a2 = stored("a2", "assistant", "Second answer");
    const s = run(
      opened(),
      { type: "turn_start", clientMessageId: "c1", content: "one", now: T },
      { type: "turn_delta", clientMessageId: "c1", text: "Part" },
      { type: "turn_aborted", clientMessageId: "c1" },
      { type: "turn_end", clientMessageId: "c1" },
      { type: "turn_start", clientMessageId: "c2", content: "two", now: T },
      { type: "turn_reply", clientMessageId: "c2", message: a2 },
      { type: "turn_end", clientMessageId: "c2" },
    );
    expect(s.pendingTurn).toBeNull();
    expect(shown([u1, u2, a2], s)).toEqual([
      ["user:c1", "user", "complete", "one"],
      ["assistant:c1", "assistant", "incomplete", "Part"],
      ["user:c2", "user", "complete", "two"],
      ["assistant:c2", "assistant", "complete", "Second answer"],
    ]);
    // Read again from the server, the stored partial reply takes the live one's place.
    const a1 = stored("a1", "assistant", "Part of it", { status: "incomplete" });
    expect(shown([u1, a1, u2, a2], s).slice(0, 2)).toEqual([
      ["user:c1", "user", "complete", "one"],
      ["assistant:c1", "assistant", "incomplete", "Part of it"],
    ]);
  });

  it("shows a message the server never stored at the end, with its error", () => {
    const earlier = stored("m1", "user", "earlier");
    const s = run(
      opened(),
      { type: "turn_start", clientMessageId: "c9", content: "lost", now: T },
      { type: "turn_error", clientMessageId: "c9", error: { code: "network_error", message: "offline" } },
      { type: "turn_end", clientMessageId: "c9" },
    );
    const out = composeMessages([earlier], s);
    expect(out.map((m) => [m.key, m.status])).toEqual([
      ["m1", "complete"],
      ["user:c9", "failed"],
    ]);
    expect(out[1]?.error).toEqual({ code: "network_error", message: "offline" });
  });

  it("keeps a system notice that came during the turn in its place", () => {
    const u1 = stored("u1", "user", "hi", { client_message_id: "c1" });
    const notice = stored("n1", "system", "Attached #61");
    const s = run(opened(), { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    expect(shown([u1, notice], s).map(([key]) => key)).toEqual(["user:c1", "n1", "assistant:c1"]);
  });
});

describe("chatReducer: sessions", () => {
  it("opening another session forgets this one's turns; creating the first keeps them", () => {
    const typed = run(initialChatState, { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    const created = run(typed, { type: "session_created", sessionId: "s1" });
    expect(created.sessionId).toBe("s1");
    expect(created.turns).toHaveLength(1);
    expect(run(created, { type: "open", sessionId: "s1" })).toBe(created);
    const other = run(created, { type: "open", sessionId: "s2" });
    expect(other).toMatchObject({ sessionId: "s2", turns: [], pendingTurn: null });
  });

  it("a chat deleted elsewhere is gone, and no turn is pending", () => {
    const s = run(opened(), { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    expect(run(s, { type: "gone", sessionId: "other" })).toBe(s);
    expect(run(s, { type: "gone", sessionId: "s1" })).toMatchObject({ gone: true, pendingTurn: null });
  });
});

describe("normalizeMessages", () => {
  it("moves an empty failed reply's error under the user message", () => {
    const out = normalizeMessages([
      msg({ id: "u1", role: "user", content: "hi", client_message_id: "c1" }),
      msg({ id: "a1", role: "assistant", status: "failed", error: { code: "unavailable", message: "down" } }),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ role: "user", clientMessageId: "c1", error: { message: "down" } });
  });
});
