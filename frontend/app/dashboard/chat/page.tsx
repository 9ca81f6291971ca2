import type { Metadata } from "next";
import { Suspense } from "react";
import { ChatContainer } from "./components/chat-container";
import { ChatMessagesSkeleton } from "./components/chat-messages";

export const metadata: Metadata = { title: "Chat" };

export default function ChatPage() {
  return (
    <Suspense
      fallback={
        <div className="flex h-[calc(100dvh-3.5rem)]">
          <ChatMessagesSkeleton />
        </div>
      }
    >
      <ChatContainer />
    </Suspense>
  );
}
