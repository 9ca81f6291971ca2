/** Token use (admins only). */
import { queryOptions } from "@tanstack/react-query";
import { getUsage } from "../api";
import { queryKeys } from "./keys";

export const usageQuery = (start: string) =>
  queryOptions({
    queryKey: queryKeys.usage.from(start),
    queryFn: ({ signal }) => getUsage({ start }, signal),
  });
