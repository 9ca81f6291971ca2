import type { Metadata } from "next";
import { Suspense } from "react";
import { TicketDetailSkeleton, TicketDetailView } from "./components/ticket-detail-view";

export const metadata: Metadata = { title: "Ticket" };

export default function TicketPage() {
  return (
    <Suspense fallback={<TicketDetailSkeleton />}>
      <TicketDetailView />
    </Suspense>
  );
}
