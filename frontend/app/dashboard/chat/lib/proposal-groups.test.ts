import { describe, expect, it } from "vitest";
import type { Proposal } from "@/lib/api-types";
import { groupProposals, groupState, orderSteps, waitingDecisions } from "./proposal-groups";

function proposal(id: string, extra: Partial<Proposal> = {}): Proposal {
  return {
    id,
    arguments: {},
    automatic: false,
    changes: [],
    created_at: "2026-12-07T10:00:00Z",
    decided_at: null,
    decided_by: null,
    edited: false,
    headline: `Step ${id}?`,
    message_id: "m1",
    new_ticket: null,
    note: null,
    reason: null,
    state: "pending",
    summary: null,
    ticket: null,
    tool: "create_ticket",
    tool_call_id: `call-${id}`,
    undone_at: null,
    undone_by: null,
    group_id: null,
    depends_on: null,
    ...extra,
  };
}

describe("groupProposals", () => {
  it("keeps proposals without a group as cards of their own, in order", () => {
    const units = groupProposals([proposal("a"), proposal("b")]);
    expect(units.map((u) => (u.kind === "single" ? u.proposal.id : u.id))).toEqual(["a", "b"]);
  });

  it("shows the steps of one group as one card, first step first, each after the one it depends on", () => {
    const contact = proposal("g", { group_id: "g", tool: "create_contact" });
    const ticket = proposal("t", { group_id: "g", depends_on: "g" });
    const call = proposal("c", { group_id: "g", depends_on: "t", tool: "log_call" });
    const other = proposal("x");
    const units = groupProposals([call, other, ticket, contact]);
    expect(units).toHaveLength(2);
    const group = units[0];
    expect(group?.kind).toBe("group");
    if (group?.kind !== "group") return;
    expect(group.steps.map((s) => s.id)).toEqual(["g", "t", "c"]);
    expect(units[1]).toEqual({ kind: "single", proposal: other });
  });

  it("shows a group of one as a plain card", () => {
    const only = proposal("g", { group_id: "g" });
    expect(groupProposals([only])).toEqual([{ kind: "single", proposal: only }]);
  });

  it("orders steps whose dependency is not in the reply as they came", () => {
    const steps = [proposal("g", { group_id: "g" }), proposal("b", { depends_on: "elsewhere" }), proposal("c")];
    expect(orderSteps("g", steps).map((s) => s.id)).toEqual(["g", "b", "c"]);
  });
});

describe("groupState", () => {
  const steps = (...states: Proposal["state"][]) => states.map((state, i) => proposal(i === 0 ? "g" : `s${i}`, { state, group_id: "g" }));

  it("waits while its first step waits", () => expect(groupState(steps("pending", "pending", "pending"))).toBe("pending"));
  it("is done when every step is", () => expect(groupState(steps("executed", "executed", "executed"))).toBe("executed"));
  it("failed when a step failed (the rest stopped)", () => expect(groupState(steps("executed", "failed", "failed"))).toBe("failed"));
  it("rejected as a whole", () => expect(groupState(steps("rejected", "rejected", "rejected"))).toBe("rejected"));
});

describe("waitingDecisions", () => {
  it("counts a waiting group once", () => {
    const units = groupProposals([
      proposal("g", { group_id: "g" }),
      proposal("t", { group_id: "g", depends_on: "g" }),
      proposal("x"),
      proposal("y", { state: "executed" }),
    ]);
    expect(waitingDecisions(units)).toBe(2);
  });
});
