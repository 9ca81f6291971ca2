import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export const INPUT_CLASSES =
  "block w-full rounded-lg border-0 bg-white px-3 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-accent-500 disabled:bg-zinc-50";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input {...props} className={cn(INPUT_CLASSES, "h-9", className)} />;
}

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea {...props} className={cn(INPUT_CLASSES, "py-2", className)} />;
}
