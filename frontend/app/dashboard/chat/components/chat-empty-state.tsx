import { Bot, CloudOff, FilePlus2, FileSearch, FileText, ListChecks, type LucideIcon } from "lucide-react";

const EXAMPLE_PROMPTS: Array<{ text: string; icon: LucideIcon }> = [
  { text: "Create a ticket for the VPN outage in Berlin, it's urgent", icon: FilePlus2 },
  { text: "Find open tickets about printers", icon: FileSearch },
  { text: "What's the status of #12?", icon: FileText },
  { text: "Summarise the attached tickets", icon: ListChecks },
];

export function ChatEmptyState({ offline, onPrompt, disabled }: { offline: boolean; onPrompt: (text: string) => void; disabled: boolean }) {
  return (
    <div className="m-auto flex w-full max-w-xl flex-col items-center py-8 text-center" data-testid="chat-empty">
      <span className="grid size-12 place-items-center rounded-2xl bg-zinc-900 text-white shadow-sm">
        <Bot aria-hidden="true" className="size-6" />
      </span>
      <h2 className="mt-4 text-lg font-semibold tracking-tight text-zinc-900">How can I help with your tickets?</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-500">
        Log a call as a ticket, look tickets up, change their status or add notes. Attach tickets to talk about them.
      </p>
      {offline ? (
        <p className="mt-3 inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-3 py-1 text-xs text-amber-800 ring-1 ring-amber-600/20 ring-inset">
          <CloudOff aria-hidden="true" className="size-3.5" />
          The offline assistant is answering: it understands requests like these.
        </p>
      ) : null}
      <div className="mt-6 grid w-full gap-2 sm:grid-cols-2">
        {EXAMPLE_PROMPTS.map(({ text, icon: Icon }) => (
          <button
            key={text}
            type="button"
            disabled={disabled}
            onClick={() => onPrompt(text)}
            data-testid="example-prompt"
            className="flex items-start gap-2.5 rounded-xl bg-white p-3 text-left text-sm text-zinc-700 shadow-xs ring-1 ring-zinc-200 transition hover:bg-zinc-50 hover:ring-zinc-300 disabled:opacity-50"
          >
            <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-accent-600" />
            <span>{text}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
