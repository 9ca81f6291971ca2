/** The signed-in user: read, sign in, sign out. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { listUsers, login, logout, me } from "../api";
import { queryKeys } from "./keys";

export const meQuery = () =>
  queryOptions({
    queryKey: queryKeys.users.me(),
    queryFn: ({ signal }) => me({ signal }),
    staleTime: 5 * 60_000,
  });

/** Who a ticket can be assigned to. */
export const activeUsersQuery = () =>
  queryOptions({
    queryKey: queryKeys.users.active(),
    queryFn: ({ signal }) => listUsers(signal),
    staleTime: 5 * 60_000,
  });

/** Sign in; whatever was cached for whoever used this tab before is dropped. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => login(email, password),
    onSuccess: (auth) => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.users.me(), auth.user);
    },
  });
}

/** Sign out on the server (the caller then leaves the page, and the cache with it). */
export function useSignOut() {
  return useMutation({ mutationFn: logout });
}
