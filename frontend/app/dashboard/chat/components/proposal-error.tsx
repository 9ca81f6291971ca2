import { AlertCircle } from "lucide-react";
import type { ReactNode } from "react";

/** A decision that failed, under its card. */
export function CardError({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="mt-2 flex items-start gap-1.5 rounded-md bg-red-50 px-2.5 py-1.5 text-xs text-red-700" data-testid="proposal-error">
      <AlertCircle aria-hidden="true" className="mt-px size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}
