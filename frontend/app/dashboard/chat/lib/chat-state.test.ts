import { describe, expect, it } from "vitest";
import type { ChatMessage, Proposal, TicketSummary } from "@/lib/api-types";
import {
  chatReducer,
  fromServer,
  initialChatState,
  normalizeMessages,
  type ChatAction,
  type ChatState,
} from "./chat-state";
import { composeMessages } from "./compose-messages";

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

describe("a decision carrying a stored reply on", () => {
  const proposal: Proposal = {
    id: "p1",
    message_id: "a1",
    tool_call_id: "call_1",
    tool: "update_ticket",
    state: "pending",
    headline: "Close #61?",
    ticket,
    changes: [{ field: "status", from: "open", to: "closed" }],
    note: null,
    new_ticket: null,
    arguments: { ticket_id: 61, status: "closed" },
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
  const u1 = stored("u1", "user", "close #61");
  const paused = stored("a1", "assistant", "I'll close #61.", {
    status: "awaiting_approval",
    tool_calls: [
      {
        id: "call_1",
        name: "update_ticket",
        arguments: { ticket_id: 61, status: "closed" },
        status: "proposed",
        summary: "Waiting for approval: Close #61?",
        duration_ms: 3,
        ticket_ids: ["t61"],
        proposal_id: "p1",
      },
    ],
    proposals: [proposal],
  });

  it("streams into the stored reply's bubble, then shows the stored reply again", () => {
    let s = run(opened(), { type: "decision_start", token: "d1", reply: fromServer(paused) });
    expect(s.pendingTurn).toBe("d1");
    s = run(
      s,
      { type: "proposal_updated", proposal: { ...proposal, state: "executed", summary: "Updated ticket #61" } },
      { type: "turn_delta", clientMessageId: "d1", text: " Done." },
    );
    const live = composeMessages([u1, paused], s)[1]!;
    expect([live.key, live.content, live.status]).toEqual(["a1", "I'll close #61. Done.", "streaming"]);
    expect([live.proposals[0]?.state, live.tools[0]?.status]).toEqual(["executed", "executed"]);

    const done = { ...paused, content: "I'll close #61. Done.", status: "complete" as const };
    s = run(s, { type: "turn_reply", clientMessageId: "d1", message: done }, { type: "turn_end", clientMessageId: "d1" });
    expect([s.pendingTurn, s.decision]).toEqual([null, null]);
    expect(shown([u1, done], s)).toEqual([
      ["u1", "user", "complete", "close #61"],
      ["a1", "assistant", "complete", "I'll close #61. Done."],
    ]);
  });

  it("waits while another reply is being written", () => {
    const busy = run(opened(), { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    expect(run(busy, { type: "decision_start", token: "d2", reply: fromServer(paused) })).toBe(busy);
  });

  it("marks a stopped continuation incomplete until the stored reply is read again", () => {
    let s = run(
      opened(),
      { type: "decision_start", token: "d3", reply: fromServer(paused) },
      { type: "turn_delta", clientMessageId: "d3", text: " Clos" },
      { type: "turn_aborted", clientMessageId: "d3" },
    );
    expect(composeMessages([u1, paused], s)[1]?.status).toBe("incomplete");
    s = run(s, { type: "turn_end", clientMessageId: "d3" });
    expect(composeMessages([u1, paused], s)[1]?.status).toBe("awaiting_approval");
  });
});
