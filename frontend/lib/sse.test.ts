import { describe, expect, it } from "vitest";
import { SSEParser, readSSE, type SSEEvent } from "./sse";

function parseChunks(chunks: string[]): SSEEvent[] {
  const parser = new SSEParser();
  const out: SSEEvent[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
}

/** Every way of cutting `text` into two chunks, plus one char at a time. */
function allSplits(text: string): string[][] {
  const splits: string[][] = [[text], Array.from(text)];
  for (let i = 1; i < text.length; i++) splits.push([text.slice(0, i), text.slice(i)]);
  return splits;
}

const STREAM =
  'event: user_message\ndata: {"message":{"id":"u1"}}\n\n' +
  ": keep-alive comment\n\n" +
  'event: text_delta\ndata: {"text":"Hel"}\n\n' +
  'event: text_delta\ndata: {"text":"lo"}\n\n' +
  "event: done\ndata: {}\n\n";

const EXPECTED = [
  { event: "user_message", data: '{"message":{"id":"u1"}}' },
  { event: "text_delta", data: '{"text":"Hel"}' },
  { event: "text_delta", data: '{"text":"lo"}' },
  { event: "done", data: "{}" },
];

const strip = (events: SSEEvent[]) => events.map(({ event, data }) => ({ event, data }));

describe("SSEParser", () => {
  it("parses a stream in one chunk", () => {
    expect(strip(parseChunks([STREAM]))).toEqual(EXPECTED);
  });

  it("gives the same events however the stream is split (mid-line, mid-event)", () => {
    for (const chunks of allSplits(STREAM)) {
      expect(strip(parseChunks(chunks))).toEqual(EXPECTED);
    }
  });

  it("handles CRLF and lone CR line endings, including a CRLF split across chunks", () => {
    const crlf = STREAM.replace(/\n/g, "\r\n");
    for (const chunks of allSplits(crlf)) expect(strip(parseChunks(chunks))).toEqual(EXPECTED);
    const cr = STREAM.replace(/\n/g, "\r");
    expect(strip(parseChunks([cr]))).toEqual(EXPECTED);
  });

  it("joins multi-line data with newlines", () => {
    const events = parseChunks(["event: text_delta\ndata: line one\ndata: line two\ndata:\ndata:  indented\n\n"]);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toBe("line one\nline two\n\n indented");
  });

  it("ignores comments, unknown fields and events without data", () => {
    const events = parseChunks([":hello\nfoo: bar\nevent: ping\n\n", "data: x\n\n"]);
    expect(strip(events)).toEqual([{ event: "message", data: "x" }]);
  });

  it("returns events as soon as their blank line arrives", () => {
    const parser = new SSEParser();
    expect(parser.push("event: text_delta\ndata: {}")).toEqual([]);
    expect(parser.push("\n")).toEqual([]);
    expect(strip(parser.push("\n"))).toEqual([{ event: "text_delta", data: "{}" }]);
  });

  it("handles field without a space after the colon, field without a colon, id and retry", () => {
    const events = parseChunks(["event:x\ndata:1\nid: 7\nretry: 1500\n\ndata\n\n"]);
    expect(events[0]).toEqual({ event: "x", data: "1", id: "7", retry: 1500 });
    expect(events[1]).toEqual({ event: "message", data: "", id: "7" });
  });

  it("drops an unterminated event at the end unless asked", () => {
    expect(parseChunks(["data: partial"])).toEqual([]);
    const parser = new SSEParser();
    parser.push("data: partial");
    expect(strip(parser.end(true))).toEqual([{ event: "message", data: "partial" }]);
  });

  it("strips a leading BOM", () => {
    expect(strip(parseChunks(["\ufeffdata: a\n\n"]))).toEqual([{ event: "message", data: "a" }]);
  });
});

describe("readSSE", () => {
  it("decodes UTF-8 split across byte chunks", async () => {
    const bytes = new TextEncoder().encode('event: text_delta\ndata: {"text":"Grüße ✓"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events: SSEEvent[] = [];
    for await (const e of readSSE(stream)) events.push(e);
    expect(strip(events)).toEqual([{ event: "text_delta", data: '{"text":"Grüße ✓"}' }]);
  });
});
