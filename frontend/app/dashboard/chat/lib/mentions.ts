/**
 * `#` ticket mentions in the chat input. Pure functions, no DOM.
 *
 * Typing `#` followed by digits or a word (`#47`, `#print`) right before the
 * caret is an "active mention": the input offers matching tickets, and
 * choosing one replaces the typed text with `#<number> `.
 */

export interface ActiveMention {
  /** Index of the `#`. */
  start: number;
  /** Index just after the typed query (the caret). */
  end: number;
  /** What follows `#`, without it. */
  query: string;
  /** True when the query is all digits (a ticket number). */
  numeric: boolean;
}

/** Characters allowed in a mention query: letters (any script), digits, `-`, `_`, `.`. */
const QUERY_CHAR = /[\p{L}\p{N}_\-.]/u;
/** A `#` starts a mention only at the start or after one of these. */
const BOUNDARY_BEFORE = /[\s([{"'“‘,;:!?]/u;
export const MAX_MENTION_QUERY = 40;

/**
 * The mention being typed at `caret`, or null. Requires at least one
 * character after `#` (a bare `#` might be a Markdown heading).
 */
export function findActiveMention(text: string, caret: number = text.length): ActiveMention | null {
  if (caret < 2 || caret > text.length) return null;
  let i = caret - 1;
  while (i >= 0 && text[i] !== "#") {
    const ch = text[i] as string;
    if (!QUERY_CHAR.test(ch)) return null;
    i--;
  }
  if (i < 0) return null;
  const hash = i;
  const query = text.slice(hash + 1, caret);
  if (query.length === 0 || query.length > MAX_MENTION_QUERY) return null;
  if (hash > 0 && !BOUNDARY_BEFORE.test(text[hash - 1] as string)) return null;
  // The caret must be at the end of the token (not in the middle of a word).
  const after = text[caret];
  if (after !== undefined && QUERY_CHAR.test(after)) return null;
  // A trailing "." is sentence punctuation, not part of the query.
  const trimmed = query.replace(/\.+$/, "");
  if (trimmed.length === 0) return null;
  return { start: hash, end: caret, query: trimmed, numeric: /^\d+$/.test(trimmed) };
}

/**
 * Replace the active mention with `#<number> `; returns the new text and
 * where the caret goes.
 */
export function applyMention(
  text: string,
  mention: Pick<ActiveMention, "start" | "end">,
  ticketNumber: number,
): { text: string; caret: number } {
  const before = text.slice(0, mention.start);
  const after = text.slice(mention.end);
  const insert = `#${ticketNumber}`;
  // Avoid a double space if the text already continues with whitespace.
  const sep = /^\s/.test(after) ? "" : " ";
  const next = `${before}${insert}${sep}${after}`;
  return { text: next, caret: before.length + insert.length + 1 };
}

/** Ticket numbers referenced as `#N` anywhere in `text`, in order, without duplicates. */
export function extractTicketNumbers(text: string): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const re = /(^|[^\p{L}\p{N}_&])#(\d{1,9})(?![\p{L}\p{N}_])/gu;
  for (const match of text.matchAll(re)) {
    const n = Number(match[2]);
    if (!seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}
