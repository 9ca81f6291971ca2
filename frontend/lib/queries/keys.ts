/**
 * The query keys: one per server resource, built here only. Keys nest, so invalidating a
 * prefix reaches everything under it (`queryKeys.tickets.all` → every list, search and
 * ticket). Pure data: no React, no I/O.
 */
import type { TicketPriority, TicketSource, TicketStatus } from "../api-types";

/** The tickets list as the URL describes it (`q` searches; the rest filter). */
export interface TicketListFilters {
  q: string;
  status: TicketStatus | "";
  priority: TicketPriority | "";
  source: TicketSource | "";
}

export interface TicketSearchParams {
  q: string;
  status: TicketStatus | "all";
  limit: number;
}

/** What the duplicate check is asked (the words typed, trimmed; the caller picked). */
export interface SimilarParams {
  title: string;
  description: string;
  contactId: string | null;
}

export const queryKeys = {
  users: {
    all: ["users"] as const,
    /** The signed-in user. */
    me: () => ["users", "me"] as const,
    /** The desk's active people. */
    active: () => ["users", "active"] as const,
  },
  tickets: {
    all: ["tickets"] as const,
    lists: () => ["tickets", "list"] as const,
    list: (filters: TicketListFilters) => ["tickets", "list", filters] as const,
    searches: () => ["tickets", "search"] as const,
    search: (params: TicketSearchParams) => ["tickets", "search", params] as const,
    details: () => ["tickets", "detail"] as const,
    /** One ticket by the reference in its URL (its number, or its id). */
    detail: (ref: string | number) => ["tickets", "detail", String(ref)] as const,
    /** The duplicate check of a new ticket being typed. */
    similar: (params: SimilarParams) => ["tickets", "similar", params] as const,
  },
  contacts: {
    all: ["contacts"] as const,
    /** The contacts page's list, by its search (`q`, "" for all by name). */
    lists: () => ["contacts", "list"] as const,
    list: (q: string) => ["contacts", "list", q] as const,
    /** A picker's matches (callers by name or phone). */
    search: (q: string) => ["contacts", "search", q] as const,
    details: () => ["contacts", "detail"] as const,
    /** One contact by the reference in its URL (its number, or its id). */
    detail: (ref: string | number) => ["contacts", "detail", String(ref)] as const,
  },
  usage: {
    /** Token use from a UTC date on (admins only). */
    from: (start: string) => ["usage", start] as const,
  },
  chat: {
    all: ["chat"] as const,
    config: () => ["chat", "config"] as const,
    /** The signed-in user's chats, newest first (pages of summaries). */
    sessions: () => ["chat", "sessions"] as const,
    /** The chats whose title or messages contain `q` (under sessions: refreshed with them). */
    sessionSearch: (q: string) => ["chat", "sessions", "search", q] as const,
    /** Every chat's own data (its title, tickets and messages), not the list of chats. */
    anySession: () => ["chat", "session"] as const,
    /** One chat: its title and attached tickets. */
    session: (id: string) => ["chat", "session", id] as const,
    /** One chat's messages (pages, newest page first). */
    messages: (id: string) => ["chat", "session", id, "messages"] as const,
  },
};
