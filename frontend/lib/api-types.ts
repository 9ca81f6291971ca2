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

/** A write the copilot proposed (or made at once, `automatic`), shown as a card. */
export type Proposal = Schemas["ProposalPublic"];
export type ProposalState = Proposal["state"];
export type ProposalChange = Schemas["ProposalChange"];
export type NewTicketDraft = Schemas["NewTicketDraft"];
/** DESKPILOT_CHAT_APPROVAL and whether this user's copilot asks before changing tickets. */
export type ApprovalSettings = Schemas["ApprovalSettings"];

export type UsageReport = Schemas["UsageReport"];
export type TokenTotals = UsageReport["total"];
export type UsageParams = NonNullable<operations["usage_api_admin_usage_get"]["parameters"]["query"]>;

/** A caller (issue 15): a person who phones the desk, shown as "C-12". */
export type ContactRef = Schemas["ContactRef"];
export type Contact = Schemas["ContactPublic"];
export type ContactDetail = Schemas["ContactDetail"];
export type ContactsPage = Schemas["ContactPage"];
export type ContactCreate = Schemas["ContactCreate"];
export type ContactUpdate = Schemas["ContactUpdate"];
export type ContactListParams = NonNullable<operations["list_contacts_api_contacts_get"]["parameters"]["query"]>;
/** A logged call (an interaction whose channel is `call`). */
export type Call = Schemas["CallPublic"];
export type CallCreate = Schemas["CallCreate"];
export type CallDirection = Call["direction"];
/** A ticket like a new one (the duplicate check): with its score and the words that matched. */
export type SimilarTicket = Schemas["SimilarTicket"];
export type SimilarTicketsParams = NonNullable<operations["similar_api_tickets_similar_get"]["parameters"]["query"]>;
/** A contact a chat turn found, created or logged a call for, with their open tickets. */
export type ChatCaller = NonNullable<ChatMessage["callers"]>[number];
