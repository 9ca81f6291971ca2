/** Admin reports. */

import { call } from "./api-client";
import type { UsageParams, UsageReport } from "./api-types";

/** Token use per day, user and model over UTC days (default: the last 30). Admins only. */
export function getUsage(params: UsageParams = {}, signal?: AbortSignal): Promise<UsageReport> {
  return call("get", "/api/admin/usage", { query: params, signal });
}
