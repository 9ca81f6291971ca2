/**
 * The Deskpilot API client, one module per domain (api-auth, api-tickets, api-contacts,
 * api-chat, api-proposals, api-admin) over the plumbing in api-client.ts, the only module that
 * calls `fetch`. Import from here.
 *
 * - Same-origin `/api` by default (the backend serves the static app); set
 *   NEXT_PUBLIC_API_BASE at build time to point elsewhere.
 * - Every request sends `X-Deskpilot-Channel: ui`; every unsafe request sends
 *   `X-CSRF-Token` with the value of the `deskpilot_csrf` cookie.
 * - Every non-2xx answer becomes one `ApiError` carrying the server's error
 *   shape; a 401 also sends the browser to `/login/?next=<here>`.
 */

export { ApiError, ErrorCode, errorMessage, hasErrorCode, isAbortError } from "./api-error";
export { CSRF_COOKIE, readCookie, setUnauthorizedHandler, type UnauthorizedHandler } from "./api-client";
export * from "./api-admin";
export * from "./api-auth";
export * from "./api-chat";
export * from "./api-contacts";
export * from "./api-proposals";
export * from "./api-tickets";
