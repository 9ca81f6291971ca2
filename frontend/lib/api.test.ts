import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, ErrorCode, getChatSession, getTicket, hasErrorCode, searchTickets, setUnauthorizedHandler, streamChatMessage } from "./api";

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("ApiError", () => {
  it("carries the server's error shape", async () => {
    const err = await ApiError.fromResponse(
      jsonResponse(422, {
        error: {
          code: "validation_error",
          message: "title: String should have at most 200 characters",
          details: [{ field: "title", message: "String should have at most 200 characters" }],
        },
      }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe("validation_error");
    expect(err.message).toBe("title: String should have at most 200 characters");
    expect(err.fieldErrors()).toEqual({ title: "String should have at most 200 characters" });
  });

  it("reads Retry-After on 429", async () => {
    const err = await ApiError.fromResponse(
      jsonResponse(429, { error: { code: "rate_limited", message: "Slow down" } }, { "Retry-After": "12" }),
    );
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfter).toBe(12);
  });

  it("falls back to a code from the status when the body is not the error shape", async () => {
    const err = await ApiError.fromResponse(new Response("<html>bad gateway</html>", { status: 502 }));
    expect(err.code).toBe("provider_error");
    expect(err.status).toBe(502);
    expect(err.details).toEqual([]);
  });

  it("is thrown by API calls, with the channel header sent", async () => {
    const fetchMock = vi.fn(async () => jsonResponse(404, { error: { code: "not_found", message: "Ticket 99 not found" } }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(getTicket(99)).rejects.toMatchObject({ status: 404, code: "not_found", message: "Ticket 99 not found" });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/tickets/99");
    expect((init.headers as Record<string, string>)["X-Deskpilot-Channel"]).toBe("ui");
  });

  it("tells a missing chat session from another 404 by its code", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse(404, { error: { code: "session_not_found", message: "Chat session not found" } })),
    );
    const gone = await getChatSession("s1").catch((e: unknown) => e);
    expect(hasErrorCode(gone, ErrorCode.sessionNotFound)).toBe(true);
    expect(hasErrorCode(gone, ErrorCode.notFound)).toBe(false);
    const ticket = new ApiError({ status: 404, code: "not_found", message: "Message not found in this session" });
    expect(hasErrorCode(ticket, ErrorCode.sessionNotFound)).toBe(false);
    expect(hasErrorCode(new Error("session_not_found"), ErrorCode.sessionNotFound)).toBe(false);
  });

  it("turns a network failure into a network_error ApiError", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(searchTickets("printer")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("calls the unauthorized handler on 401", async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    vi.stubGlobal("fetch", vi.fn(async () => jsonResponse(401, { error: { code: "unauthorized", message: "Sign in" } })));
    await expect(searchTickets("")).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe("streamChatMessage", () => {
  it("routes SSE events to handlers and sends the CSRF header", async () => {
    vi.stubGlobal("document", { cookie: "other=1; deskpilot_csrf=tok%3D123" });
    const body =
      'event: user_message\ndata: {"message":{"id":"u1","role":"user"}}\n\n' +
      'event: tool_call_started\ndata: {"id":"t1","name":"search_tickets","arguments":{},"label":"Searching…"}\n\n' +
      'event: text_delta\ndata: {"text":"Hi"}\n\n' +
      "event: session_title\ndata: {\"title\":\"Printers\"}\n\n" +
      "event: done\ndata: {}\n\n";
    const fetchMock = vi.fn(
      async () => new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const seen: string[] = [];
    const outcome = await streamChatMessage("s1", "hello", "c1", {
      onUserMessage: (m) => seen.push(`user:${m.id}`),
      onToolCallStarted: (e) => seen.push(`tool:${e.label}`),
      onTextDelta: (t) => seen.push(`delta:${t}`),
      onSessionTitle: (t) => seen.push(`title:${t}`),
      onDone: () => seen.push("done"),
    });
    expect(outcome).toBe("done");
    expect(seen).toEqual(["user:u1", "tool:Searching…", "delta:Hi", "title:Printers", "done"]);
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const headers = init.headers as Record<string, string>;
    expect(headers["X-CSRF-Token"]).toBe("tok=123");
    expect(headers.Accept).toBe("text/event-stream");
    expect(JSON.parse(init.body as string)).toEqual({ content: "hello", client_message_id: "c1" });
  });

  it("rejects with ApiError when the stream ends without done", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response('event: text_delta\ndata: {"text":"Hi"}\n\n', { headers: { "Content-Type": "text/event-stream" } })),
    );
    await expect(streamChatMessage("s1", "x", "c1", {})).rejects.toMatchObject({ code: "stream_interrupted" });
  });
});
