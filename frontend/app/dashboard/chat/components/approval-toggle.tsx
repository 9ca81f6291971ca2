"use client";

import { useQueryClient } from "@tanstack/react-query";
import { ShieldCheck, Zap } from "lucide-react";
import { useState } from "react";
import { errorMessage, setApprovalPreference } from "@/lib/api";
import type { ApprovalSettings, ChatConfig } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { queryKeys } from "@/lib/queries/keys";

/**
 * "Ask before changing tickets", in the chat header: a switch when the setting lets each
 * user choose (DESKPILOT_CHAT_APPROVAL=optional), otherwise a badge saying how it is.
 */
export function ApprovalToggle({ approval }: { approval: ApprovalSettings }) {
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asks = approval.ask_before_changes;
  const Icon = asks ? ShieldCheck : Zap;
  const label = asks ? "Ask before changing tickets" : "Changes tickets without asking";

  if (!approval.can_change) {
    return (
      <span
        className="ml-auto hidden shrink-0 items-center gap-1 text-xs text-zinc-500 sm:inline-flex"
        title={asks ? "The assistant's ticket changes wait for your approval." : "The assistant changes tickets at once."}
        data-testid="approval-badge"
        data-asks={asks}
      >
        <Icon aria-hidden="true" className="size-3.5" />
        {label}
      </span>
    );
  }

  async function toggle() {
    setSaving(true);
    setError(null);
    try {
      const saved = await setApprovalPreference(!asks);
      queryClient.setQueryData<ChatConfig>(queryKeys.chat.config(), (config) =>
        config ? { ...config, approval: saved } : config,
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <span className="ml-auto inline-flex shrink-0 items-center gap-2 text-xs text-zinc-600">
      <button
        type="button"
        role="switch"
        aria-checked={asks}
        onClick={() => void toggle()}
        disabled={saving}
        data-testid="approval-switch"
        className="inline-flex items-center gap-2 rounded-md px-1 py-0.5 focus-visible:outline-2 focus-visible:outline-accent-500 disabled:opacity-60"
      >
        <span
          aria-hidden="true"
          className={cn(
            "relative inline-flex h-4 w-7 items-center rounded-full transition-colors",
            asks ? "bg-accent-600" : "bg-zinc-300",
          )}
        >
          <span className={cn("inline-block size-3 rounded-full bg-white shadow transition-transform", asks ? "translate-x-3.5" : "translate-x-0.5")} />
        </span>
        <span className="hidden sm:inline">Ask before changing tickets</span>
        <span className="sm:hidden">Ask first</span>
      </button>
      {error ? (
        <span role="alert" className="text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
