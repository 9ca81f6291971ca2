/** Contacts (callers) and their calls: the list, a picker's search, one contact, and the writes. */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { createContact, getContact, listContacts, logCall, mergeContacts, updateContact } from "../api";
import type { CallCreate, ContactCreate, ContactDetail, ContactUpdate } from "../api-types";
import { queryKeys } from "./keys";

export const CONTACT_PAGE_SIZE = 25;
/** A picker shows its best matches only. */
export const CONTACT_PICKER_LIMIT = 8;

/** The contacts page: by name, or matching `q` (name, organisation, e-mail, phone), in pages. */
export const contactListQuery = (q: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.contacts.list(q),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      listContacts({ q: q || undefined, limit: CONTACT_PAGE_SIZE, cursor: pageParam ?? undefined }, signal),
    getNextPageParam: (last) => last.next_cursor,
  });

/** A caller picker's matches. */
export const contactSearchQuery = (q: string, limit: number = CONTACT_PICKER_LIMIT) =>
  queryOptions({
    queryKey: queryKeys.contacts.search(q),
    queryFn: async ({ signal }) => (await listContacts({ q: q || undefined, limit }, signal)).items,
    staleTime: 10_000,
  });

export const contactQuery = (ref: string | number) =>
  queryOptions({
    queryKey: queryKeys.contacts.detail(ref),
    queryFn: ({ signal }) => getContact(ref, signal),
  });

/** Every list, search and contact asks again (a contact's name shows on tickets too). */
export async function invalidateContactViews(queryClient: QueryClient): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: queryKeys.contacts.all });
}

/** Edit a contact; the page shows the contact as the server answered. */
export function useUpdateContact(ref: string | number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ContactUpdate) => updateContact(ref, patch),
    onSuccess: async () => {
      await invalidateContactViews(queryClient);
      // Ticket rows and cards show the caller's name.
      await queryClient.invalidateQueries({ queryKey: queryKeys.tickets.all });
    },
  });
}

export function useCreateContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ContactCreate) => createContact(input),
    onSuccess: () => invalidateContactViews(queryClient),
  });
}

/** Merge `duplicateId` into the contact `ref` (admins): the kept contact as it then is. */
export function useMergeContact(ref: string | number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (duplicateId: string) => mergeContacts(ref, duplicateId),
    onSuccess: async (kept: ContactDetail) => {
      queryClient.setQueryData(queryKeys.contacts.detail(ref), kept);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.contacts.lists() }),
        queryClient.invalidateQueries({ queryKey: ["contacts", "search"] }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.all }),
      ]);
    },
  });
}

/** Log a call; the contact's page (and the ticket's, if one is named) shows it. */
export function useLogCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallCreate) => logCall(input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.contacts.details() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.details() }),
      ]),
  });
}
