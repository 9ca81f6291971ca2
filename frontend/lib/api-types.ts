/**
 * Names for the API's types, all taken from lib/api-schema.d.ts, which `npm run gen:api`
 * generates from the backend's OpenAPI schema. Nothing is re-typed by hand here: a change
 * of the API changes these types, and the code that no longer fits fails to compile.
 */
import type { components, operations } from "./api-schema";

type Schemas = components["schemas"];

export type User = Schemas["UserPublic"];
export type UserRef = Schemas["UserRef"];
export type UserRole = User["role"];
export type AuthState = Schemas["AuthState"];

export type TicketSummary = Schemas["TicketSummary"];
export type Ticket = Schemas["TicketPublic"];
export type TicketDetail = Schemas["TicketDetail"];
export type TicketEvent = Schemas["TicketEventPublic"];
export type TicketEventAction = TicketEvent["action"];
export type Channel = TicketEvent["channel"];
export type Note = Schemas["NotePublic"];
export type TicketsPage = Schemas["TicketPage"];
export type SearchHit = Schemas["SearchHit"];
export type TicketStatus = TicketSummary["status"];
export type TicketPriority = TicketSummary["priority"];
export type TicketSource = TicketSummary["source"];
export type TicketCreate = Schemas["TicketCreate"];
export type TicketUpdate = Schemas["TicketUpdate"];
export type TicketListParams = NonNullable<operations["list__api_tickets_get"]["parameters"]["query"]>;
/** A ticket as the API accepts it in a path or an attachment change: its id or its number. */
export type TicketRef = NonNullable<Schemas["AttachmentChange"]["attach"]>[number];

export type ChatConfig = Schemas["ChatConfig"];
export type ChatMessage = Schemas["ChatMessagePublic"];
export type ChatRole = ChatMessage["role"];
export type ChatMessageStatus = ChatMessage["status"];
/** Why a reply failed (a stored message's `error`, or a stream's `error` event). */
export type ChatError = Schemas["MessageError"];
export type ToolCallRecord = Schemas["ToolCallPublic"];
export type ToolCallStatus = ToolCallRecord["status"];
export type ChatSession = Schemas["ChatSessionPublic"];
export type ChatSessionDetail = Schemas["ChatSessionDetail"];
export type ChatSessionSummary = Schemas["ChatSessionSummary"];
export type ChatSessionsPage = Schemas["ChatSessionPage"];
export type ChatMessagesPage = Schemas["ChatMessagePage"];
export type ChatSessionAttachResult = Schemas["ChatSessionAttachResult"];
export type ChatTicket = Schemas["ChatTicketPublic"];
export type ChatTicketCreate = Schemas["ChatTicketCreate"];

export type UsageReport = Schemas["UsageReport"];
export type TokenTotals = UsageReport["total"];
export type UsageParams = NonNullable<operations["usage_api_admin_usage_get"]["parameters"]["query"]>;
