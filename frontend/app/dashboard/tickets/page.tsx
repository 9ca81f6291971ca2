import type { Metadata } from "next";
import { Suspense } from "react";
import { TicketListSkeleton } from "./components/ticket-list";
import { TicketsView } from "./components/tickets-view";

export const metadata: Metadata = { title: "Tickets" };

export default function TicketsPage() {
  return (
    <Suspense fallback={<TicketListSkeleton />}>
      <TicketsView />
    </Suspense>
  );
}
