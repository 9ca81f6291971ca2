"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Building2, GitMerge, Mail, PencilLine, Phone, UserRoundX } from "lucide-react";
import Link from "next/link";
import { useContext, useEffect, useState, type ReactNode } from "react";
import { UserContext } from "@/components/auth/user-context";
import { Button, buttonClasses } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useReturnFocus } from "@/hooks/use-return-focus";
import { ErrorCode, errorMessage, hasErrorCode } from "@/lib/api";
import type { ContactDetail } from "@/lib/api-types";
import { contactHandle } from "@/lib/contacts";
import { contactQuery } from "@/lib/queries/contacts";
import { routes } from "@/lib/urls";
import { CallList } from "./call-list";
import { ContactForm } from "./contact-form";
import { ContactTickets } from "./contact-tickets";
import { LogCallForm } from "./log-call-form";
import { MergeDialog } from "./merge-dialog";

/** One contact: who they are (edited in place), their open and recent tickets, and their calls. */
export function ContactDetailView({ reference }: { reference: string }) {
  const query = useQuery(contactQuery(reference));
  const contact = query.data;

  useEffect(() => {
    if (contact) document.title = `${contact.name} (${contactHandle(contact.number)}) · Deskpilot`;
  }, [contact]);

  if (hasErrorCode(query.error, ErrorCode.notFound, ErrorCode.validation)) {
    return (
      <div className="mx-auto grid w-full max-w-lg place-items-center px-6 py-20 text-center" data-testid="contact-not-found">
        <UserRoundX aria-hidden="true" className="size-10 text-zinc-400" />
        <h1 className="mt-3 text-lg font-semibold text-zinc-900">Contact not found</h1>
        <p className="mt-1 text-sm text-zinc-500">There is no contact “{reference}”. It may have been merged into another.</p>
        <Link href={routes.contacts()} className={buttonClasses("secondary", "md", "mt-5")}>
          Back to contacts
        </Link>
      </div>
    );
  }
  if (query.isError && !contact) {
    return (
      <div className="mx-auto max-w-lg px-6 py-20 text-center" role="alert">
        <p className="text-sm text-red-700">{errorMessage(query.error)}</p>
        <Button className="mt-4" onClick={() => void query.refetch()}>
          Retry
        </Button>
      </div>
    );
  }
  if (!contact) return <ContactDetailSkeleton />;
  return <ContactPage contact={contact} />;
}

function ContactPage({ contact }: { contact: ContactDetail }) {
  const user = useContext(UserContext);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<string | null>(null);
  const [editRef, editFocusLater] = useReturnFocus<HTMLButtonElement>(!editing);
  const stopEditing = () => {
    editFocusLater();
    setEditing(false);
  };

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-5 sm:px-6 sm:py-6" data-testid="contact-detail" data-contact-number={contact.number}>
      <Link href={routes.contacts()} className="inline-flex items-center gap-1 rounded-md text-sm text-zinc-500 hover:text-zinc-900" data-testid="back-to-contacts">
        <ArrowLeft aria-hidden="true" className="size-4" />
        Contacts
      </Link>

      <header className="mt-3 mb-6 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex items-center gap-2 text-sm text-zinc-500">
            <span className="font-mono">{contactHandle(contact.number)}</span>
            {contact.organization ? (
              <span className="inline-flex items-center gap-1" data-testid="contact-organization">
                <Building2 aria-hidden="true" className="size-3.5" />
                {contact.organization.name}
              </span>
            ) : null}
          </p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight break-words text-zinc-900" data-testid="contact-name">
            {contact.name}
          </h1>
        </div>
        <div className="flex gap-2">
          {!editing ? (
            <Button ref={editRef} onClick={() => setEditing(true)} data-testid="contact-edit">
              <PencilLine aria-hidden="true" className="size-4" />
              Edit
            </Button>
          ) : null}
          {user?.role === "admin" ? (
            <Button onClick={() => setMerging(true)} data-testid="contact-merge">
              <GitMerge aria-hidden="true" className="size-4" />
              Merge a duplicate
            </Button>
          ) : null}
        </div>
      </header>

      {merged ? (
        <p role="status" className="mb-4 rounded-lg bg-emerald-50 px-4 py-2.5 text-sm text-emerald-800 ring-1 ring-emerald-600/20" data-testid="contact-merged">
          {merged}
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="order-2 min-w-0 space-y-6 lg:order-1">
          <ContactTickets
            heading="Open tickets"
            tickets={contact.open_ticket_list}
            empty="Nothing open for this caller."
            testId="contact-open-tickets"
          />
          <section aria-labelledby="calls-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
            <h2 id="calls-heading" className="text-sm font-semibold text-zinc-900">
              Calls <span className="font-normal text-zinc-500">{contact.calls.length || ""}</span>
            </h2>
            <LogCallForm contact={contact} />
            <CallList calls={contact.calls} />
          </section>
          <ContactTickets
            heading="Recent tickets"
            tickets={contact.recent_tickets}
            empty="No resolved or closed tickets."
            testId="contact-recent-tickets"
          />
        </div>
        <aside aria-label="Contact details" className="order-1 rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5 lg:order-2">
          {editing ? (
            <>
              <h2 className="mb-3 text-sm font-semibold text-zinc-900">Edit contact</h2>
              <ContactForm contact={contact} onCancel={stopEditing} onSaved={stopEditing} />
            </>
          ) : (
            <dl className="space-y-3 text-sm">
              <Detail label="Phone" icon={<Phone aria-hidden="true" className="size-3.5" />}>
                {contact.phone ? (
                  <a href={`tel:${contact.phone}`} className="rounded text-zinc-900 hover:underline" data-testid="contact-phone">
                    {contact.phone_display ?? contact.phone}
                  </a>
                ) : (
                  <Muted>None</Muted>
                )}
              </Detail>
              <Detail label="E-mail" icon={<Mail aria-hidden="true" className="size-3.5" />}>
                {contact.email ? (
                  <a href={`mailto:${contact.email}`} className="rounded break-all text-zinc-900 hover:underline" data-testid="contact-email">
                    {contact.email}
                  </a>
                ) : (
                  <Muted>None</Muted>
                )}
              </Detail>
              <Detail label="Organisation" icon={<Building2 aria-hidden="true" className="size-3.5" />}>
                {contact.organization?.name ?? <Muted>None</Muted>}
              </Detail>
              <Detail label="Notes">
                {contact.notes ? (
                  <span className="whitespace-pre-wrap" data-testid="contact-notes-text">
                    {contact.notes}
                  </span>
                ) : (
                  <Muted>None</Muted>
                )}
              </Detail>
            </dl>
          )}
        </aside>
      </div>

      {user?.role === "admin" ? (
        <MergeDialog
          open={merging}
          onOpenChange={setMerging}
          kept={contact}
          onMerged={(text) => setMerged(text)}
        />
      ) : null}
    </div>
  );
}

function Detail({ label, icon, children }: { label: string; icon?: ReactNode; children: ReactNode }) {
  return (
    <div>
      <dt className="flex items-center gap-1.5 text-xs font-medium text-zinc-500">
        {icon}
        {label}
      </dt>
      <dd className="mt-0.5 text-zinc-800">{children}</dd>
    </div>
  );
}

function Muted({ children }: { children: ReactNode }) {
  return <span className="text-zinc-500">{children}</span>;
}

export function ContactDetailSkeleton() {
  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6" role="status" aria-busy="true" aria-label="Loading contact">
      <Skeleton className="h-4 w-20" />
      <Skeleton className="mt-4 h-4 w-32" />
      <Skeleton className="mt-2 h-7 w-1/2" />
      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-6">
          <Skeleton className="h-40 w-full rounded-xl" />
          <Skeleton className="h-56 w-full rounded-xl" />
        </div>
        <Skeleton className="h-56 w-full rounded-xl" />
      </div>
    </div>
  );
}
