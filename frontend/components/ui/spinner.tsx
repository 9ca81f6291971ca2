import { Loader2 } from "lucide-react";
import { cn } from "@/lib/cn";

export function Spinner({ className, label }: { className?: string; label?: string }) {
  return (
    <span role={label ? "status" : undefined} className="inline-flex items-center">
      <Loader2 aria-hidden="true" className={cn("size-4 animate-spin text-zinc-500", className)} />
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  );
}
