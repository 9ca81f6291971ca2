"use client";

import { Check } from "lucide-react";
import { useContext } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { Proposal } from "@/lib/api-types";
import { groupProposals, waitingDecisions } from "../lib/proposal-groups";
import { ProposalActionsContext, useCardAction } from "./proposal-actions";
import { ProposalCard } from "./proposal-card";
import { ProposalGroupCard } from "./proposal-group-card";

/**
 * The cards of a reply's proposals, with "Approve all" when several decisions wait. The steps
 * of one intake (one `group_id`) are one card, decided as a whole.
 */
export function ProposalList({ proposals, messageId }: { proposals: Proposal[]; messageId: string | null }) {
  const actions = useContext(ProposalActionsContext);
  const { working, error, run } = useCardAction<"approveAll">();
  if (proposals.length === 0) return null;
  const units = groupProposals(proposals);
  const waiting = waitingDecisions(units);

  async function approveAll() {
    if (!actions || !messageId) return;
    await run("approveAll", () => actions.approveAll(messageId));
  }

  return (
    <div className="mt-2 space-y-2" data-testid="proposals">
      {units.map((unit) =>
        unit.kind === "group" ? (
          <ProposalGroupCard key={unit.id} groupId={unit.id} steps={unit.steps} />
        ) : (
          <ProposalCard key={unit.proposal.id} proposal={unit.proposal} />
        ),
      )}
      {waiting > 1 && actions ? (
        <div className="flex items-center gap-2">
          <Button
            size="sm"
            variant="primary"
            onClick={() => void approveAll()}
            disabled={working !== null || actions.busy}
            data-testid="approve-all"
          >
            {working !== null ? <Spinner className="size-3.5 text-white" /> : <Check aria-hidden="true" className="size-3.5" />}
            Approve all {waiting}
          </Button>
          {error ? (
            <span role="alert" className="text-xs text-red-600">
              {error}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
