import { createContext } from "react";
import type { ProposalDecision } from "@/lib/api";
import type { Proposal } from "@/lib/api-types";

export interface ProposalActions {
  decide: (proposal: Proposal, decision: ProposalDecision) => Promise<void>;
  approveAll: (messageId: string) => Promise<void>;
  undo: (proposal: Proposal) => Promise<void>;
  /** A reply is being written: decisions wait. */
  busy: boolean;
}

export const ProposalActionsContext = createContext<ProposalActions | null>(null);
