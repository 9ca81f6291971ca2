import { ChevronDown } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

/** A styled native <select>: accessible and mobile-friendly for free. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <span className={cn("relative inline-flex", className)}>
      <select
        {...props}
        className="h-9 w-full appearance-none rounded-lg border-0 bg-white py-0 pr-8 pl-3 text-sm text-zinc-800 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-accent-500 disabled:bg-zinc-50 disabled:text-zinc-400"
      >
        {children}
      </select>
      <ChevronDown
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-400"
      />
    </span>
  );
}
