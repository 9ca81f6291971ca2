/** Tickets: lists, search, one ticket, its writes and notes, similar tickets. */

import { call } from "./api-client";
import type { Note, SearchHit, SimilarTicket, SimilarTicketsParams, Ticket, TicketCreate, TicketDetail, TicketListParams, TicketRef, TicketStatus, TicketUpdate, TicketsPage } from "./api-types";

export function listTickets(params: TicketListParams = {}, signal?: AbortSignal): Promise<TicketsPage> {
  return call("get", "/api/tickets", { query: params, signal });
}

/** Full-text search; empty `query` lists the most recently updated tickets. */
export async function searchTickets(
  query: string,
  status: TicketStatus | "all" = "all",
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<SearchHit[]> {
  const res = await call("get", "/api/tickets/search", {
    query: { q: query, status, limit: options.limit },
    signal: options.signal,
  });
  return res.items;
}

export function getTicket(ref: TicketRef, signal?: AbortSignal): Promise<TicketDetail> {
  return call("get", "/api/tickets/{ref}", { path: { ref: String(ref) }, signal });
}

export function createTicket(input: TicketCreate): Promise<Ticket> {
  return call("post", "/api/tickets", { body: input });
}

/** `seen`: the ticket's updated_at as shown; a change since is 409 `stale` (ApiError.body.ticket). */
export function updateTicket(ref: TicketRef, patch: TicketUpdate, seen?: string): Promise<TicketDetail> {
  return call("patch", "/api/tickets/{ref}", { path: { ref: String(ref) }, body: patch, ifMatch: seen });
}

export function addNote(ref: TicketRef, body: string, seen?: string): Promise<Note> {
  return call("post", "/api/tickets/{ref}/notes", { path: { ref: String(ref) }, body: { body }, ifMatch: seen });
}

/** Undo the change an audit trail event records (an AI write as a whole). */
export function undoTicketEvent(ref: TicketRef, eventId: string): Promise<TicketDetail> {
  return call("post", "/api/tickets/{ref}/events/{event_id}/undo", { path: { ref: String(ref), event_id: eventId } });
}

/** Open and in-progress tickets like a new one (the duplicate check), most alike first. */
export async function similarTickets(params: SimilarTicketsParams, signal?: AbortSignal): Promise<SimilarTicket[]> {
  const res = await call("get", "/api/tickets/similar", { query: params, signal });
  return res.items;
}
