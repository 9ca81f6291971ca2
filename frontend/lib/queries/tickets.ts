/** Tickets: the list (filtered or searched), a search, one ticket, and the writes to them. */
import {
  infiniteQueryOptions,
  mutationOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import {
  addNote,
  createTicket,
  ErrorCode,
  getTicket,
  hasErrorCode,
  listTickets,
  searchTickets,
  similarTickets,
  undoTicketEvent,
  updateTicket,
} from "../api";
import type { SearchHit, TicketDetail, TicketRef, TicketSummary, TicketUpdate } from "../api-types";
import { queryKeys, type SimilarParams, type TicketListFilters, type TicketSearchParams } from "./keys";

export const TICKET_PAGE_SIZE = 25;
/** A search shows its best matches only. */
export const TICKET_SEARCH_LIMIT = 50;

export interface TicketListPage {
  items: Array<TicketSummary | SearchHit>;
  next_cursor: string | null;
  /** How many the filters pick (first page of a list; a search's are all shown). */
  total?: number | null;
  total_capped?: boolean;
}

/** The tickets list page as its URL describes it: a filtered list in pages, or a search's top matches. */
export const ticketListQuery = (filters: TicketListFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.tickets.list(filters),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }): Promise<TicketListPage> => {
      const { q, status, priority, source } = filters;
      if (q) {
        const hits = await searchTickets(q, status || "all", { limit: TICKET_SEARCH_LIMIT, signal });
        // Search filters by status only; priority and source are applied here.
        return {
          items: hits.filter((t) => (!priority || t.priority === priority) && (!source || t.source === source)),
          next_cursor: null,
        };
      }
      return listTickets(
        {
          status: status || undefined,
          priority: priority || undefined,
          source: source || undefined,
          limit: TICKET_PAGE_SIZE,
          cursor: pageParam ?? undefined,
          with_total: pageParam === null, // the count, on the first page only
        },
        signal,
      );
    },
    getNextPageParam: (last) => last.next_cursor,
  });

/** Tickets matching words or `#number` (the ticket picker, `#` mentions). */
export const ticketSearchQuery = (params: TicketSearchParams) =>
  queryOptions({
    queryKey: queryKeys.tickets.search(params),
    queryFn: ({ signal }) => searchTickets(params.q, params.status, { limit: params.limit, signal }),
  });

/** The duplicate check of a new ticket: open tickets like it (the same caller's count more). */
export const similarTicketsQuery = (params: SimilarParams) =>
  queryOptions({
    queryKey: queryKeys.tickets.similar(params),
    queryFn: ({ signal }) =>
      similarTickets(
        {
          title: params.title,
          description: params.description || undefined,
          contact_id: params.contactId ?? undefined,
          limit: 3,
        },
        signal,
      ),
    staleTime: 30_000,
  });

export const ticketQuery = (ref: TicketRef) =>
  queryOptions({
    queryKey: queryKeys.tickets.detail(ref),
    queryFn: ({ signal }) => getTicket(ref, signal),
  });

// ---------------------------------------------------------------- the cache

type Patch = Partial<TicketSummary> & Pick<TicketSummary, "id">;

function patchItems<T extends TicketSummary>(items: T[], patch: Patch): T[] {
  return items.some((t) => t.id === patch.id) ? items.map((t) => (t.id === patch.id ? { ...t, ...patch } : t)) : items;
}

/** Shows a ticket's new fields in every cached list and search at once (they refetch later). */
export function patchTicketSummaries(queryClient: QueryClient, patch: Patch): void {
  queryClient.setQueriesData<InfiniteData<TicketListPage>>({ queryKey: queryKeys.tickets.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: patchItems(page.items, patch) })) } : data,
  );
  queryClient.setQueriesData<SearchHit[]>({ queryKey: queryKeys.tickets.searches() }, (data) =>
    data ? patchItems(data, patch) : data,
  );
}

/** Lists and searches ask again; the chats, whose cards and chips show tickets, too. */
export async function invalidateTicketViews(queryClient: QueryClient, except?: TicketRef): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.tickets.searches() }),
    queryClient.invalidateQueries({
      queryKey: queryKeys.tickets.details(),
      // The ticket just written is in the cache as the server answered.
      predicate: (query) => except === undefined || query.queryKey[2] !== String(except),
    }),
    queryClient.invalidateQueries({ queryKey: queryKeys.chat.anySession() }),
  ]);
}

// ---------------------------------------------------------------- writes

type FieldChange = Pick<TicketUpdate, "status" | "priority" | "title" | "assignee_id" | "contact_id">;

/**
 * Change a ticket's status, priority, title, assignee or caller. Optimistic (the assignee and
 * the caller once the server answers): the page, the lists and the searches show the new value at once; a
 * failure puts the old one back.
 */
export const updateTicketMutation = (queryClient: QueryClient, ref: TicketRef) => {
  const key = queryKeys.tickets.detail(ref);
  return mutationOptions({
    // Sent with the version shown (If-Match): a change made since is refused, not overwritten.
    mutationFn: (change: FieldChange) => updateTicket(ref, change, queryClient.getQueryData<TicketDetail>(key)?.updated_at),
    onMutate: async (change: FieldChange) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<TicketDetail>(key);
      if (before) {
        const shown = { ...before, ...definedFields(change) };
        queryClient.setQueryData<TicketDetail>(key, shown);
        patchTicketSummaries(queryClient, { id: before.id, status: shown.status, priority: shown.priority, title: shown.title });
      }
      return { before };
    },
    onError: (error, _change, context) => {
      // Stale: the ticket as it is now, which the agent sees before trying again.
      const fresh = hasErrorCode(error, ErrorCode.stale) ? (error.body.ticket as TicketDetail | undefined) : undefined;
      const before = fresh ?? context?.before;
      if (!before) return;
      queryClient.setQueryData(key, before);
      patchTicketSummaries(queryClient, { id: before.id, status: before.status, priority: before.priority, title: before.title });
    },
    onSuccess: (ticket: TicketDetail) => {
      queryClient.setQueryData(key, ticket);
      const { notes: _notes, events: _events, description: _d, created_by: _c, chat_session_id: _s, ...summary } = ticket;
      patchTicketSummaries(queryClient, summary);
    },
    onSettled: () => invalidateTicketViews(queryClient, ref),
  });
};

export function useUpdateTicket(ref: TicketRef) {
  return useMutation(updateTicketMutation(useQueryClient(), ref));
}

function definedFields(change: FieldChange): Partial<Pick<TicketDetail, "status" | "priority" | "title">> {
  const out: Partial<Pick<TicketDetail, "status" | "priority" | "title">> = {};
  if (change.status) out.status = change.status;
  if (change.priority) out.priority = change.priority;
  if (change.title) out.title = change.title;
  return out;
}

/**
 * Add a note; the page shows it (and its audit event) once the ticket is read again. Sent
 * with the version shown: a ticket changed since is refused (409) and read again.
 */
export function useAddNote(ref: TicketRef) {
  const queryClient = useQueryClient();
  const key = queryKeys.tickets.detail(ref);
  return useMutation({
    mutationFn: (body: string) => addNote(ref, body, queryClient.getQueryData<TicketDetail>(key)?.updated_at),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: key }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() }),
      ]),
    onError: (error) => {
      if (hasErrorCode(error, ErrorCode.stale)) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

/** Undo the change an audit trail event records; the page shows the ticket as it then is. */
export function useUndoTicketEvent(ref: TicketRef) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (eventId: string) => undoTicketEvent(ref, eventId),
    onSuccess: (ticket: TicketDetail) => {
      queryClient.setQueryData(queryKeys.tickets.detail(ref), ticket);
      return invalidateTicketViews(queryClient, ref);
    },
  });
}

/** Log a call as a ticket; every list asks again. */
export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicket,
    onSuccess: () => invalidateTicketViews(queryClient),
  });
}
