import type { Metadata } from "next";
import { Suspense } from "react";
import { ChatContainer } from "./components/chat-container";
import { ChatPageFallback } from "./components/chat-fallback";

export const metadata: Metadata = { title: "Chat" };

export default function ChatPage() {
  return (
    <Suspense fallback={<ChatPageFallback />}>
      <ChatContainer />
    </Suspense>
  );
}
