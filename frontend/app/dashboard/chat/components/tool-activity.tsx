import {
  AlertTriangle,
  Ban,
  Check,
  CircleSlash,
  Clock,
  FilePlus2,
  FileSearch,
  FileText,
  PencilLine,
  Wrench,
  type LucideIcon,
} from "lucide-react";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import type { ToolActivity } from "../lib/chat-state";

/** Tool name → icon. Unknown tools get a wrench. */
const TOOL_ICONS: Record<string, LucideIcon> = {
  search_tickets: FileSearch,
  get_ticket: FileText,
  create_ticket: FilePlus2,
  update_ticket: PencilLine,
};

const STATUS_STYLE: Record<ToolActivity["status"], { icon: LucideIcon | null; className: string }> = {
  running: { icon: null, className: "text-zinc-500" },
  ok: { icon: Check, className: "text-zinc-600" },
  error: { icon: AlertTriangle, className: "text-amber-700" },
  refused: { icon: Ban, className: "text-zinc-500" },
  // writes the agent approves (their card says more)
  proposed: { icon: Clock, className: "text-amber-800" },
  executed: { icon: Check, className: "text-zinc-600" },
  rejected: { icon: Ban, className: "text-zinc-500" },
  superseded: { icon: CircleSlash, className: "text-zinc-500" },
  failed: { icon: AlertTriangle, className: "text-amber-700" },
};

/** One line per tool call: the label while running, then the summary. */
export function ToolActivityList({ tools }: { tools: ToolActivity[] }) {
  if (tools.length === 0) return null;
  return (
    <ul className="mb-2 space-y-1" aria-label="Assistant actions">
      {tools.map((tool) => {
        const Icon = TOOL_ICONS[tool.name] ?? Wrench;
        const style = STATUS_STYLE[tool.status] ?? STATUS_STYLE.ok;
        const StatusIcon = style.icon;
        const running = tool.status === "running";
        return (
          <li
            key={tool.id}
            data-testid="tool-activity"
            data-tool={tool.name}
            data-status={tool.status}
            className={cn("flex items-center gap-2 text-xs", style.className)}
            aria-live={running ? "polite" : undefined}
          >
            <span className="grid size-5 shrink-0 place-items-center rounded-md bg-zinc-100">
              <Icon aria-hidden="true" className="size-3.5 text-zinc-500" />
            </span>
            <span className="min-w-0 truncate">{running ? tool.label : (tool.summary ?? tool.label)}</span>
            {running ? (
              <Spinner className="size-3.5" />
            ) : StatusIcon ? (
              <StatusIcon aria-hidden="true" className="size-3.5 shrink-0" />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
