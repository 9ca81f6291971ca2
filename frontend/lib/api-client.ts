/**
 * The Deskpilot API client's plumbing: the only module that calls `fetch`. The domain
 * modules (api-auth, api-tickets, api-contacts, api-chat, api-proposals, api-admin) call
 * `call`/`send`; `@/lib/api` re-exports them all.
 *
 * - Same-origin `/api` by default (the backend serves the static app); set
 *   NEXT_PUBLIC_API_BASE at build time to point elsewhere.
 * - Every request sends `X-Deskpilot-Channel: ui`; every unsafe request sends
 *   `X-CSRF-Token` with the value of the `deskpilot_csrf` cookie.
 * - Every non-2xx answer becomes one `ApiError` carrying the server's error
 *   shape; a 401 also sends the browser to `/login/?next=<here>`.
 */

import { ApiError, isAbortError } from "./api-error";
import { fillPath, type Method, type Operation, type PathWith, type RequestOptions, type Success } from "./api-request";

const API_BASE = (process.env.NEXT_PUBLIC_API_BASE ?? "").replace(/\/+$/, "");
export const CSRF_COOKIE = "deskpilot_csrf";
const UNSAFE_METHODS = new Set<Method>(["post", "put", "patch", "delete"]);

let csrfFromBody: string | null = null;

/** The CSRF token an auth answer carried, for when its cookie cannot be read (null: forget it). */
export function rememberCsrfToken(token: string | null): void {
  csrfFromBody = token;
}

export function readCookie(name: string): string | null {
  if (typeof document === "undefined") return null;
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function csrfToken(): string | null {
  return readCookie(CSRF_COOKIE) ?? csrfFromBody;
}

export type UnauthorizedHandler = () => void;

/** Default: go to the sign-in page, remembering where we were. */
let onUnauthorized: UnauthorizedHandler = () => {
  if (typeof window === "undefined") return;
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname.startsWith("/login")) return;
  window.location.assign(new URL(`/login/?next=${encodeURIComponent(here)}`, window.location.origin).href);
};

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

type QueryValue = string | number | boolean | null | undefined;

function buildUrl(path: string, query?: object): string {
  let url = `${API_BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query) as Array<[string, QueryValue]>) {
      if (value === undefined || value === null || value === "") continue;
      params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** One request to the API; a non-2xx answer is thrown as ApiError. */
export async function send<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>>,
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ?? "application/json",
    "X-Deskpilot-Channel": "ui",
  };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.ifMatch) headers["If-Match"] = `"${options.ifMatch}"`;
  if (UNSAFE_METHODS.has(method)) {
    const token = csrfToken();
    if (token) headers["X-CSRF-Token"] = token;
  }
  const url = buildUrl(fillPath(path, options.path as Record<string, string> | undefined), options.query);

  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: "Can't reach the Deskpilot server. Check your connection and try again.",
    });
  }

  if (!response.ok) {
    const error = await ApiError.fromResponse(response);
    if (error.status === 401 && error.code !== "invalid_credentials" && options.redirectOn401 !== false) {
      onUnauthorized();
    }
    throw error;
  }
  return response;
}

/** A request whose answer is the operation's JSON body (nothing for 204). */
export async function call<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>>,
): Promise<Success<Operation<P, M>>> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as Success<Operation<P, M>>;
  return (await response.json()) as Success<Operation<P, M>>;
}
