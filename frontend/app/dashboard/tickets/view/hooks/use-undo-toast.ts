"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/api";
import type { TicketDetail } from "@/lib/api-types";
import { ticketQuery, useUndoTicketEvent } from "@/lib/queries/tickets";

/**
 * After a change made on the ticket page: a toast saying what changed, with Undo. Undo
 * reverts the audit events the change wrote (the same route as the audit trail's Undo), so
 * another agent's change made since is never overwritten (the server answers 409).
 */
export function useUndoToast(ticketNumber: number) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const undo = useUndoTicketEvent(ticketNumber);

  const offerUndo = useCallback(
    (seenEventIds: ReadonlySet<string>, after: TicketDetail, message: string) => {
      const written = after.events.filter((e) => !seenEventIds.has(e.id) && e.can_undo && e.action !== "reverted");
      if (written.length === 0) {
        toast({ message });
        return;
      }
      toast({
        message,
        actionLabel: "Undo",
        onAction: () => {
          void (async () => {
            try {
              for (const event of written) await undo.mutateAsync(event.id);
              toast({ message: "Undone" });
            } catch (e) {
              toast({ message: `Couldn't undo: ${errorMessage(e)}` });
            }
          })();
        },
      });
    },
    [toast, undo],
  );

  /** For writes whose answer is not the ticket (a note): read it again first. */
  const offerUndoAfterReading = useCallback(
    async (seenEventIds: ReadonlySet<string>, message: string) => {
      const after = await queryClient.fetchQuery({ ...ticketQuery(ticketNumber), staleTime: 0 });
      offerUndo(seenEventIds, after, message);
    },
    [queryClient, ticketNumber, offerUndo],
  );

  return { offerUndo, offerUndoAfterReading };
}

export function eventIds(ticket: TicketDetail): ReadonlySet<string> {
  return new Set(ticket.events.map((e) => e.id));
}
