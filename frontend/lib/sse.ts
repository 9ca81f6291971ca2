/**
 * Incremental Server-Sent Events parser (WHATWG "event stream" format).
 *
 * Pure: no I/O. Feed it text in chunks of any size, split anywhere (in the
 * middle of a line, of a CRLF pair, of an event); it returns each event as
 * soon as its terminating blank line has been seen.
 */

export interface SSEEvent {
  /** `event:` field; "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** Last `id:` seen in the stream so far (per spec it persists). */
  id: string;
  /** `retry:` in milliseconds, when the event carried one. */
  retry?: number;
}

export class SSEParser {
  private buffer = "";
  private pendingCR = false;
  private started = false;

  private eventType = "";
  private dataLines: string[] = [];
  private hasData = false;
  private lastId = "";
  private retry: number | undefined;

  /** Feed a chunk; returns the events completed by it. */
  push(chunk: string): SSEEvent[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const out: SSEEvent[] = [];
    let text = chunk;
    // A CR at the end of the previous chunk already ended a line; drop the LF of its CRLF.
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.startsWith("\n")) text = text.slice(1);
    }
    this.buffer += text;

    let start = 0;
    const buf = this.buffer;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = buf.slice(start, i);
      if (c === 13) {
        if (i + 1 < buf.length) {
          if (buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
      const event = this.processLine(line);
      if (event) out.push(event);
    }
    this.buffer = buf.slice(start);
    return out;
  }

  /**
   * End of stream. Per the spec an event without its terminating blank line
   * is discarded; pass `dispatchIncomplete` to get it anyway.
   */
  end(dispatchIncomplete = false): SSEEvent[] {
    const out: SSEEvent[] = [];
    if (this.buffer.length > 0) {
      const event = this.processLine(this.buffer);
      this.buffer = "";
      if (event) out.push(event);
    }
    if (dispatchIncomplete) {
      const event = this.dispatch();
      if (event) out.push(event);
    }
    this.reset();
    return out;
  }

  private reset(): void {
    this.eventType = "";
    this.dataLines = [];
    this.hasData = false;
    this.retry = undefined;
  }

  private dispatch(): SSEEvent | null {
    if (!this.hasData) {
      this.reset();
      return null;
    }
    const event: SSEEvent = {
      event: this.eventType || "message",
      data: this.dataLines.join("\n"),
      id: this.lastId,
    };
    if (this.retry !== undefined) event.retry = this.retry;
    this.reset();
    return event;
  }

  private processLine(line: string): SSEEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null; // comment / keep-alive

    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
    }

    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case "id":
        if (!value.includes("\u0000")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return null;
  }
}

/**
 * Read a byte stream (e.g. `response.body`) as SSE events. UTF-8 sequences
 * split across chunks are decoded correctly. Stops when the stream ends; an
 * aborted fetch rejects with the abort reason from `reader.read()`.
 */
export async function* readSSE(body: ReadableStream<Uint8Array>): AsyncGenerator<SSEEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  const parser = new SSEParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      for (const event of parser.push(decoder.decode(value, { stream: true }))) yield event;
    }
    const tail = decoder.decode();
    if (tail) for (const event of parser.push(tail)) yield event;
    for (const event of parser.end()) yield event;
  } finally {
    // The consumer stopped early (or reading failed): stop the underlying stream.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
