/** The copilot's proposed changes: approve, reject, undo; the user's approval preference. */

import { call, send } from "./api-client";
import { readChatStream, type ChatStreamHandlers, type ChatStreamOutcome } from "./api-chat";
import type { ApprovalSettings, Proposal } from "./api-types";

export type ProposalDecision =
  | { action: "approve"; arguments?: Record<string, unknown> }
  | { action: "reject"; reason?: string };

/**
 * Approve (optionally with edited arguments) or reject a proposal; the reply then goes on,
 * streamed like a message's. A stale approval rejects with ApiError `stale` whose
 * `body.proposal` is the fresh proposal to show.
 */
export async function decideProposal(
  sessionId: string,
  proposalId: string,
  decision: ProposalDecision,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<ChatStreamOutcome> {
  const path = { session_id: sessionId, proposal_id: proposalId };
  const response =
    decision.action === "approve"
      ? await send("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/approve", {
          path,
          body: decision.arguments ? { arguments: decision.arguments } : {},
          accept: "text/event-stream",
          signal,
        })
      : await send("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/reject", {
          path,
          body: decision.reason ? { reason: decision.reason } : {},
          accept: "text/event-stream",
          signal,
        });
  return readChatStream(response, handlers, signal);
}

/** Approve a reply's pending proposals in order; streamed like decideProposal. */
export async function approveAllProposals(
  sessionId: string,
  messageId: string,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<ChatStreamOutcome> {
  const response = await send("post", "/api/chat/sessions/{session_id}/messages/{message_id}/approve-all", {
    path: { session_id: sessionId, message_id: messageId },
    accept: "text/event-stream",
    signal,
  });
  return readChatStream(response, handlers, signal);
}

/** Undo an executed write of the copilot: the proposal as it is then. */
export function undoProposal(sessionId: string, proposalId: string): Promise<Proposal> {
  return call("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/undo", {
    path: { session_id: sessionId, proposal_id: proposalId },
  });
}

/** The user's "Ask before changing tickets" (when the setting lets them choose). */
export function setApprovalPreference(askBeforeChanges: boolean): Promise<ApprovalSettings> {
  return call("put", "/api/chat/preferences", { body: { ask_before_changes: askBeforeChanges } });
}
