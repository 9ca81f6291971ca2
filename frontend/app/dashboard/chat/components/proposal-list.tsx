"use client";

import { Check } from "lucide-react";
import { useContext, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import type { Proposal } from "@/lib/api-types";
import { groupProposals, waitingDecisions } from "../lib/proposal-groups";
import { ProposalActionsContext } from "./proposal-actions";
import { ProposalCard } from "./proposal-card";
import { ProposalGroupCard } from "./proposal-group-card";

/**
 * The cards of a reply's proposals, with "Approve all" when several decisions wait. The steps
 * of one intake (one `group_id`) are one card, decided as a whole.
 */
export function ProposalList({ proposals, messageId }: { proposals: Proposal[]; messageId: string | null }) {
  const actions = useContext(ProposalActionsContext);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  if (proposals.length === 0) return null;
  const units = groupProposals(proposals);
  const waiting = waitingDecisions(units);

  async function approveAll() {
    if (!actions || !messageId) return;
    setWorking(true);
    setError(null);
    try {
      await actions.approveAll(messageId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setWorking(false);
    }
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
            disabled={working || actions.busy}
            data-testid="approve-all"
          >
            {working ? <Spinner className="size-3.5 text-white" /> : <Check aria-hidden="true" className="size-3.5" />}
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
