import type { Metadata } from "next";
import { ChatContainer } from "./components/chat-container";

export const metadata: Metadata = { title: "Chat" };

// Prerendered as the new chat (see useSearchParam): the static HTML holds the whole page,
// and the browser hydrates it instead of building it again.
export default function ChatPage() {
  return <ChatContainer />;
}
