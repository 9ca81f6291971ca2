/** The one error type of the API client, carrying the server's error shape. No I/O. */
import type { ErrorDetail } from "./types";

/**
 * Error codes the client branches on (docs/api.md, "Errors"). Branch on these,
 * never on the message: the message is for people and may change.
 */
export const ErrorCode = {
  notFound: "not_found",
  /** The chat session in the path is gone (or is another user's). */
  sessionNotFound: "session_not_found",
  validation: "validation_error",
  /** A write based on a version that changed since: `body` carries the fresh one. */
  stale: "stale",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** `error` is an ApiError with one of `codes`. */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes as string[]).includes(error.code);
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Seconds, from `Retry-After` on 429. */
  readonly retryAfter: number | null;
  /** The whole error body: beside `error`, a stale write's fresh `ticket` or `proposal`. */
  readonly body: Record<string, unknown>;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: ErrorDetail[] | null;
    retryAfter?: number | null;
    body?: Record<string, unknown> | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body ?? {};
  }

  /** Build from a non-2xx response, whatever its body. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const retryHeader = response.headers.get("Retry-After");
    const retryAfter = retryHeader && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader) : null;
    let body: unknown = null;
    try {
      const text = await response.text();
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const parsed = parseErrorBody(body);
    if (parsed) {
      const whole = body as Record<string, unknown>;
      return new ApiError({ status: response.status, retryAfter, ...parsed, body: whole });
    }
    return new ApiError({
      status: response.status,
      code: defaultCode(response.status),
      message: defaultMessage(response.status, response.statusText),
      retryAfter,
    });
  }

  /** Field name → message, from `details` (validation errors). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (d.field && !(d.field in out)) out[d.field] = d.message;
    return out;
  }
}

function parseErrorBody(body: unknown): { code: string; message: string; details: ErrorDetail[] } | null {
  if (!body || typeof body !== "object" || !("error" in body)) return null;
  const err = (body as { error: unknown }).error;
  if (!err || typeof err !== "object") return null;
  const { code, message, details } = err as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== "string" || typeof message !== "string") return null;
  const list: ErrorDetail[] = Array.isArray(details)
    ? details
        .filter((d): d is { field?: unknown; message: string } => !!d && typeof d === "object" && typeof d.message === "string")
        .map((d) => ({ field: typeof d.field === "string" ? d.field : null, message: d.message }))
    : [];
  return { code, message, details: list };
}

function defaultCode(status: number): string {
  const codes: Record<number, string> = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
    502: "provider_error",
    504: "provider_timeout",
  };
  return codes[status] ?? (status >= 500 ? "internal_error" : "http_error");
}

function defaultMessage(status: number, statusText: string): string {
  if (status >= 500) return "The server had a problem. Please try again.";
  return statusText ? `Request failed: ${status} ${statusText}` : `Request failed with status ${status}`;
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof DOMException && error.name === "AbortError") ||
    (error instanceof Error && error.name === "AbortError")
  );
}

/** A human-readable message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}
