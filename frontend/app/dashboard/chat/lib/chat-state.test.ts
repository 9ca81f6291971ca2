import { describe, expect, it } from "vitest";
import { chatReducer, initialChatState, normalizeMessages, type ChatAction, type ChatState } from "./chat-state";
import type { ChatMessage, ChatSessionDetail, Proposal, TicketSummary } from "@/lib/types";

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

function loaded(messages: ChatMessage[] = []): ChatState {
  const detail: ChatSessionDetail = {
    id: "s1",
    title: null,
    created_at: T,
    updated_at: T,
    attached_tickets: [{ ...ticket, status: "open" }],
    messages,
    has_more: false,
  };
  return run(initialChatState, { type: "load_start", sessionId: "s1" }, { type: "load_ok", detail });
}

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state);
}

describe("chatReducer: a streamed turn", () => {
  it("shows the user message at once, streams text and tools, then keeps the stored reply", () => {
    let s = run(loaded(), { type: "turn_start", clientMessageId: "c1", content: "Create a ticket", now: T });
    expect(s.pendingTurn).toBe("c1");
    expect(s.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "pending"],
      ["assistant", "pending"],
    ]);

    s = run(
      s,
      { type: "turn_user_message", clientMessageId: "c1", message: msg({ id: "u1", role: "user", content: "Create a ticket", client_message_id: "c1" }) },
      { type: "turn_tool_started", clientMessageId: "c1", event: { id: "k1", name: "create_ticket", arguments: {}, label: "Creating a ticket…" } },
    );
    expect(s.messages[0]).toMatchObject({ id: "u1", status: "complete", key: "user:c1" });
    expect(s.messages[1]?.tools).toEqual([
      { id: "k1", name: "create_ticket", label: "Creating a ticket…", status: "running", summary: null },
    ]);

    s = run(
      s,
      {
        type: "turn_tool_finished",
        clientMessageId: "c1",
        event: { id: "k1", name: "create_ticket", status: "ok", summary: "Created ticket #61", duration_ms: 3, tickets: [{ ...ticket, status: "in_progress" }] },
      },
      { type: "turn_delta", clientMessageId: "c1", text: "Created " },
      { type: "turn_delta", clientMessageId: "c1", text: "#61." },
    );
    const live = s.messages[1]!;
    expect(live.content).toBe("Created #61.");
    expect(live.status).toBe("streaming");
    expect(live.tools[0]).toMatchObject({ status: "ok", summary: "Created ticket #61" });
    expect(live.tickets.map((t) => t.number)).toEqual([61]);
    // The header chip of an attached ticket follows the tool's change.
    expect(s.session?.attached_tickets[0]?.status).toBe("in_progress");

    s = run(
      s,
      {
        type: "turn_assistant_message",
        clientMessageId: "c1",
        message: msg({ id: "a1", role: "assistant", content: "Created #61.", tickets: [ticket], ticket_refs: ["t61"] }),
      },
      { type: "turn_end", clientMessageId: "c1" },
    );
    expect(s.pendingTurn).toBeNull();
    expect(s.messages[1]).toMatchObject({ id: "a1", key: "assistant:c1", status: "complete" });
    // Live tool lines are kept when the stored message carries none.
    expect(s.messages[1]?.tools).toHaveLength(1);
  });

  it("puts a failure under the user message, and a retry reuses it without duplicating", () => {
    let s = run(
      loaded(),
      { type: "turn_start", clientMessageId: "c1", content: "hi", now: T },
      { type: "turn_user_message", clientMessageId: "c1", message: msg({ id: "u1", role: "user", content: "hi", client_message_id: "c1" }) },
      { type: "turn_error", clientMessageId: "c1", error: { code: "provider_error", message: "The model failed" } },
      { type: "turn_end", clientMessageId: "c1" },
    );
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]?.error).toEqual({ code: "provider_error", message: "The model failed" });

    s = run(s, { type: "turn_start", clientMessageId: "c1", content: "hi", now: T });
    expect(s.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(s.messages[0]?.error).toBeNull();
  });

  it("marks a stopped reply incomplete and keeps its text", () => {
    const s = run(
      loaded(),
      { type: "turn_start", clientMessageId: "c1", content: "hi", now: T },
      { type: "turn_delta", clientMessageId: "c1", text: "Part" },
      { type: "turn_aborted", clientMessageId: "c1" },
      { type: "turn_end", clientMessageId: "c1" },
    );
    expect(s.messages[1]).toMatchObject({ content: "Part", status: "incomplete" });
    expect(s.pendingTurn).toBeNull();
  });
});

describe("chatReducer: history and attachments", () => {
  it("prepends older pages without duplicates", () => {
    let s = loaded([msg({ id: "m3", role: "user" }), msg({ id: "m4", role: "assistant" })]);
    s = run(s, { type: "older_start" }, { type: "older_ok", page: { items: [msg({ id: "m1", role: "user" }), msg({ id: "m2", role: "assistant" }), msg({ id: "m3", role: "user" })], has_more: false } });
    expect(s.messages.map((m) => m.id)).toEqual(["m1", "m2", "m3", "m4"]);
    expect(s.loadingOlder).toBe(false);
  });

  it("adds the attach notice once and updates the session", () => {
    const system = msg({ id: "sys1", role: "system", content: "Attached #61" });
    const session = { id: "s1", title: null, created_at: T, updated_at: T, attached_tickets: [ticket] };
    const s = run(loaded(), { type: "session_updated", session, systemMessage: system }, { type: "session_updated", session, systemMessage: system });
    expect(s.messages.filter((m) => m.role === "system")).toHaveLength(1);
    expect(s.session?.attached_tickets).toHaveLength(1);
  });

  it("ignores a load that finished for another session", () => {
    const s = run(initialChatState, { type: "load_start", sessionId: "s2" });
    const detail: ChatSessionDetail = { id: "s1", title: "x", created_at: T, updated_at: T, attached_tickets: [], messages: [], has_more: false };
    expect(run(s, { type: "load_ok", detail }).phase).toBe("loading");
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

describe("chatReducer: proposals", () => {
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
  const paused = msg({
    id: "a1",
    role: "assistant",
    content: "I'll close #61.",
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

  it("carries a decision's continuation into the stored reply it pauses", () => {
    let s = run(loaded([msg({ id: "u1", role: "user", content: "close #61" }), paused]));
    expect(s.messages[1]?.proposals).toEqual([proposal]);

    s = run(
      s,
      { type: "decision_start", messageId: "a1", token: "d1" },
      { type: "proposal_updated", proposal: { ...proposal, state: "executed", summary: "Updated ticket #61" } },
      { type: "turn_delta", clientMessageId: "d1", text: " Done." },
    );
    expect(s.pendingTurn).toBe("d1");
    const reply = s.messages[1];
    expect([reply?.key, reply?.content, reply?.status]).toEqual(["a1", "I'll close #61. Done.", "streaming"]);
    expect(reply?.proposals[0]?.state).toBe("executed");
    expect(reply?.tools[0]?.status).toBe("executed");

    const stored = { ...paused, content: "I'll close #61. Done.", status: "complete" as const };
    s = run(
      s,
      { type: "turn_assistant_message", clientMessageId: "d1", message: stored },
      { type: "turn_end", clientMessageId: "d1" },
    );
    expect(s.pendingTurn).toBeNull();
    expect(s.messages).toHaveLength(2);
    expect([s.messages[1]?.key, s.messages[1]?.status, s.messages[1]?.turn]).toEqual(["a1", "complete", undefined]);
  });

  it("a decision refused before the reply went on leaves the reply as it was", () => {
    let s = run(loaded([paused]), { type: "decision_start", messageId: "a1", token: "d2" });
    s = run(s, { type: "turn_end", clientMessageId: "d2" });
    expect(s.pendingTurn).toBeNull();
    expect([s.messages[0]?.status, s.messages[0]?.turn, s.messages[0]?.content]).toEqual([
      "awaiting_approval",
      undefined,
      "I'll close #61.",
    ]);
  });

  it("an undone or refreshed proposal replaces the card's copy only", () => {
    const undone = { ...proposal, state: "executed" as const, undone_at: T };
    const s = run(loaded([paused]), { type: "proposal_updated", proposal: undone });
    expect(s.messages[0]?.proposals).toEqual([undone]);
    const unknown = run(s, { type: "proposal_updated", proposal: { ...proposal, id: "elsewhere" } });
    expect(unknown).toBe(s);
  });
});
