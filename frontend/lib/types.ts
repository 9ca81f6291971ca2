/**
 * Client-side types only: what the OpenAPI schema does not describe. The API's own
 * types are in lib/api-types.ts, named from the generated lib/api-schema.d.ts.
 *
 * Here: the events of a streamed chat reply (Server-Sent Events, which OpenAPI does not
 * describe; docs/api.md, "Streaming") and the error body every non-2xx answer carries.
 */
import type { ChatError, ChatMessage, TicketSummary, ToolCallStatus } from "./api-types";

// ---------------------------------------------------------------- errors

export interface ErrorDetail {
  field?: string | null;
  message: string;
}

// ---------------------------------------------------------------- chat stream events

export interface ToolCallStartedEvent {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  label: string;
}

export interface ToolCallFinishedEvent {
  id: string;
  name: string;
  status: ToolCallStatus;
  summary: string;
  duration_ms: number;
  tickets: TicketSummary[];
}

/** Map from SSE event name to its JSON payload. */
export interface ChatStreamEvents {
  user_message: { message: ChatMessage };
  text_delta: { text: string };
  tool_call_started: ToolCallStartedEvent;
  tool_call_finished: ToolCallFinishedEvent;
  assistant_message: { message: ChatMessage };
  session_title: { title: string };
  error: ChatError;
  done: Record<string, never>;
}

export type ChatStreamEventName = keyof ChatStreamEvents;
