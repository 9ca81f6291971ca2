import { createContext, useState } from "react";
import { errorMessage, type ProposalDecision } from "@/lib/api";
import type { Proposal } from "@/lib/api-types";

export interface ProposalActions {
  decide: (proposal: Proposal, decision: ProposalDecision) => Promise<void>;
  approveAll: (messageId: string) => Promise<void>;
  undo: (proposal: Proposal) => Promise<void>;
  /** A reply is being written: decisions wait. */
  busy: boolean;
}

export const ProposalActionsContext = createContext<ProposalActions | null>(null);

/**
 * One action of a card at a time: `run(kind, action)` marks it working, clears the last
 * error, and keeps the error the action fails with; it resolves to whether it succeeded.
 */
export function useCardAction<Kind extends string>() {
  const [working, setWorking] = useState<Kind | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(kind: Kind, action: () => Promise<void>): Promise<boolean> {
    setWorking(kind);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setWorking(null);
    }
  }
  return { working, error, run };
}
