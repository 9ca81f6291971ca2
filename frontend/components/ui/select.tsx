import { ChevronDown } from "lucide-react";
import type { ComponentProps, KeyboardEvent } from "react";
import { cn } from "@/lib/cn";

/** Keys that change a closed native select's value at once (arrows, paging, type-ahead). */
function changesAtOnce(event: KeyboardEvent<HTMLSelectElement>): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  const typeAhead = event.key.length === 1 && event.key !== " "; // Space opens the list
  return typeAhead || /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down))$/.test(event.key);
}

/**
 * A styled native <select>: accessible and mobile-friendly for free. `explicit`: where a
 * change is saved at once (a ticket's status), a key never picks by itself: Space (or
 * Alt+ArrowDown) opens the list, and the agent picks there (Enter or a click).
 */
export function Select({
  className,
  children,
  explicit = false,
  onKeyDown,
  ...props
}: ComponentProps<"select"> & { explicit?: boolean }) {
  return (
    <span className={cn("relative inline-flex", className)}>
      <select
        {...props}
        onKeyDown={(event) => {
          if (explicit && changesAtOnce(event)) event.preventDefault();
          onKeyDown?.(event);
        }}
        className="h-9 w-full appearance-none rounded-lg border-0 bg-white py-0 pr-8 pl-3 text-sm text-zinc-800 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-accent-500 disabled:bg-zinc-50 disabled:text-zinc-400"
      >
        {children}
      </select>
      <ChevronDown
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-500"
      />
    </span>
  );
}
