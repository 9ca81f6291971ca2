/**
 * A reply's proposals as the cards that show them: one card per proposal, except the steps
 * of one intake (create the contact → the ticket or the note → log the call), which share a
 * `group_id` and show as ONE card, approved (and rejected) as a whole. Pure.
 */
import type { Proposal, ProposalState } from "@/lib/api-types";

export type ProposalUnit =
  | { kind: "single"; proposal: Proposal }
  | { kind: "group"; id: string; steps: Proposal[] };

export function groupProposals(proposals: Proposal[]): ProposalUnit[] {
  const units: ProposalUnit[] = [];
  const groups = new Map<string, Proposal[]>();
  for (const proposal of proposals) {
    const groupId = proposal.group_id ?? null;
    if (!groupId) {
      units.push({ kind: "single", proposal });
      continue;
    }
    let steps = groups.get(groupId);
    if (!steps) {
      steps = [];
      groups.set(groupId, steps);
      units.push({ kind: "group", id: groupId, steps });
    }
    steps.push(proposal);
  }
  return units.map((unit) => {
    if (unit.kind === "single") return unit;
    if (unit.steps.length === 1) return { kind: "single", proposal: unit.steps[0] as Proposal };
    return { ...unit, steps: orderSteps(unit.id, unit.steps) };
  });
}

/** The group's first step (its id is the group's), then each step after the one it depends on. */
export function orderSteps(groupId: string, steps: Proposal[]): Proposal[] {
  const ids = new Set(steps.map((s) => s.id));
  const remaining = [...steps].sort((a, b) => Number(b.id === groupId) - Number(a.id === groupId));
  const placed: Proposal[] = [];
  const done = new Set<string>();
  while (remaining.length > 0) {
    const ready = remaining.findIndex((s) => !s.depends_on || done.has(s.depends_on) || !ids.has(s.depends_on));
    const [next] = remaining.splice(ready === -1 ? 0 : ready, 1);
    if (!next) break;
    placed.push(next);
    done.add(next.id);
  }
  return placed;
}

/** The step whose decision decides the group (the server approves and rejects through it). */
export function groupHead(steps: Proposal[]): Proposal {
  return steps[0] as Proposal;
}

/**
 * The group as one card shows it: waiting while its first step waits; then failed if a step
 * failed, rejected or superseded as its first step was; done when every step is.
 */
export function groupState(steps: Proposal[]): ProposalState {
  const head = groupHead(steps);
  if (head.state === "pending") return "pending";
  if (steps.some((s) => s.state === "failed")) return "failed";
  if (head.state === "rejected" || head.state === "superseded") return head.state;
  if (steps.every((s) => s.state === "executed")) return "executed";
  return steps.some((s) => s.state === "pending") ? "pending" : "executed";
}

/** How many decisions a reply waits for (a group counts once), for "Approve all". */
export function waitingDecisions(units: ProposalUnit[]): number {
  return units.filter((u) => (u.kind === "single" ? u.proposal.state === "pending" : groupState(u.steps) === "pending")).length;
}
