import { UserRound } from "lucide-react";
import Link from "next/link";
import type { ContactRef } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { contactHandle } from "@/lib/contacts";
import { routes } from "@/lib/urls";

/**
 * A ticket's caller in one line: the name (a link to their page unless `plain`, as inside a
 * row that is itself a link) and the organisation.
 */
export function CallerName({
  contact,
  plain = false,
  className,
  testId = "ticket-caller",
}: {
  contact: ContactRef;
  plain?: boolean;
  className?: string;
  testId?: string;
}) {
  const name = plain ? (
    <span className="truncate font-medium text-zinc-800">{contact.name}</span>
  ) : (
    <Link
      href={routes.contact(contact.number)}
      className="truncate rounded font-medium text-accent-700 hover:underline"
      aria-label={`${contact.name}, caller ${contactHandle(contact.number)}`}
    >
      {contact.name}
    </Link>
  );
  return (
    <span
      className={cn("inline-flex min-w-0 items-center gap-1.5 text-zinc-600", className)}
      data-testid={testId}
      data-contact-number={contact.number}
    >
      <UserRound aria-hidden="true" className="size-3.5 shrink-0 text-zinc-500" />
      {name}
      {contact.organization ? <span className="truncate text-zinc-500">· {contact.organization}</span> : null}
    </span>
  );
}
