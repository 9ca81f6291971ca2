"use client";

import { useSearchParams } from "next/navigation";
import { Skeleton } from "@/components/ui/skeleton";
import { ContactDetailView } from "./contact-detail";
import { ContactList } from "./contact-list";

/** `/dashboard/contacts/` lists and searches; `?id=<number>` is one contact's page. */
export function ContactsView() {
  const id = useSearchParams().get("id")?.trim() ?? "";
  return id ? <ContactDetailView key={id} reference={id} /> : <ContactList />;
}

export function ContactsPageSkeleton() {
  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6" aria-busy="true">
      <Skeleton className="mb-5 h-8 w-40" />
      <Skeleton className="mb-4 h-9 w-full" />
      <Skeleton className="h-72 w-full rounded-xl" />
    </div>
  );
}
