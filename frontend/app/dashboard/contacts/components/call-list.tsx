import { PhoneIncoming, PhoneOutgoing } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/relative-time";
import type { Call } from "@/lib/api-types";
import { formatDuration } from "@/lib/contacts";
import { routes } from "@/lib/urls";

/** A contact's calls, newest first: who took it, when, how long, about which ticket. */
export function CallList({ calls }: { calls: Call[] }) {
  if (calls.length === 0) return <p className="mt-3 text-sm text-zinc-500">No calls logged yet.</p>;
  return (
    <ol className="mt-3 space-y-3" data-testid="contact-calls">
      {calls.map((call) => {
        const Icon = call.direction === "outbound" ? PhoneOutgoing : PhoneIncoming;
        const duration = formatDuration(call.duration_seconds);
        return (
          <li key={call.id} className="flex gap-3" data-testid="contact-call" data-call-id={call.id}>
            <span className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-zinc-100 text-zinc-600">
              <Icon aria-hidden="true" className="size-3.5" />
            </span>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-zinc-500">
                <span className="font-medium text-zinc-800">{call.direction === "outbound" ? "Outbound call" : "Inbound call"}</span>
                <span aria-hidden="true">·</span>
                <RelativeTime iso={call.started_at} />
                {duration ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <span>{duration}</span>
                  </>
                ) : null}
                {call.agent ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <span>{call.agent.name}</span>
                  </>
                ) : null}
                {call.ticket ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <Link href={routes.ticket(call.ticket.number)} className="rounded text-accent-700 hover:underline" data-testid="contact-call-ticket">
                      #{call.ticket.number} {call.ticket.title}
                    </Link>
                  </>
                ) : null}
              </p>
              <p className="mt-0.5 text-sm whitespace-pre-wrap text-zinc-700" data-testid="contact-call-summary">
                {call.summary}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
