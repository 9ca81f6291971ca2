import { MessageSquareOff, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";

export function ChatNotFound({ onNew }: { onNew: () => void }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center px-6 text-center" data-testid="chat-not-found">
      <MessageSquareOff aria-hidden="true" className="size-10 text-zinc-300" />
      <h2 className="mt-3 text-lg font-semibold text-zinc-900">This chat no longer exists</h2>
      <p className="mt-1 max-w-sm text-sm text-zinc-500">It may have been deleted in another tab or window.</p>
      <Button variant="primary" className="mt-5" onClick={onNew} data-testid="start-new-chat">
        Start a new chat
      </Button>
    </div>
  );
}

export function ChatLoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center px-6 text-center" role="alert">
      <p className="max-w-sm text-sm text-red-700">{message}</p>
      <Button className="mt-4" onClick={onRetry}>
        <RefreshCw aria-hidden="true" className="size-4" />
        Try again
      </Button>
    </div>
  );
}
