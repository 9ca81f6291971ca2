import type { Metadata } from "next";
import { Suspense } from "react";
import { ContactsPageSkeleton, ContactsView } from "./components/contacts-view";

export const metadata: Metadata = { title: "Contacts" };

export default function ContactsPage() {
  return (
    <Suspense fallback={<ContactsPageSkeleton />}>
      <ContactsView />
    </Suspense>
  );
}
