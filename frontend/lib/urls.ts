/** Client-side routes and URL safety checks. Pure. */

export const routes = {
  login: (next?: string) => (next ? `/login/?next=${encodeURIComponent(next)}` : "/login/"),
  tickets: () => "/dashboard/tickets/",
  /** The tickets page with the new-ticket dialog open, its description filled in. */
  newTicket: (description: string) => `/dashboard/tickets/?new=1&description=${encodeURIComponent(description)}`,
  ticket: (ref: string | number) => `/dashboard/tickets/view/?ref=${encodeURIComponent(String(ref))}`,
  /** The ticket page with the note composer focused, `note` written in it (a duplicate's "add a note instead"). */
  ticketNote: (ref: string | number, note = "") =>
    `/dashboard/tickets/view/?ref=${encodeURIComponent(String(ref))}&compose=1${note ? `&note=${encodeURIComponent(note)}` : ""}`,
  contacts: (q?: string) => (q ? `/dashboard/contacts/?q=${encodeURIComponent(q)}` : "/dashboard/contacts/"),
  contact: (number: number) => `/dashboard/contacts/?id=${number}`,
  usage: () => "/dashboard/usage/",
  chat: (sessionId?: string | null) =>
    sessionId ? `/dashboard/chat/?session=${encodeURIComponent(sessionId)}` : "/dashboard/chat/",
};

export const DEFAULT_AFTER_LOGIN = routes.chat();

/** The ticket number a link to a ticket page points at (`routes.ticket(47)` → 47), else null. */
export function ticketNumberOfHref(href: string): number | null {
  const match = /^\/dashboard\/tickets\/view\/\?ref=(\d{1,9})$/.exec(href);
  return match ? Number(match[1]) : null;
}

/**
 * Where to go after signing in: `next` only when it stays on this app's origin, judged the
 * way the browser will read it (WHATWG URL parsing drops tab/CR/LF and treats `\` as `/`,
 * so `/\t/evil.example` is `//evil.example`). Returns path + search + hash, else the default.
 */
export function safeNextPath(next: string | null | undefined, origin: string): string {
  if (!next) return DEFAULT_AFTER_LOGIN;
  const base = parseUrl(origin);
  const url = base ? parseUrl(next, base) : null;
  if (!base || !url || url.origin !== base.origin) return DEFAULT_AFTER_LOGIN;
  const path = url.pathname + url.search + url.hash;
  // A normalised path such as `/.//evil.example` comes out as `//evil.example`, which would
  // leave the origin when navigated to: accept only what resolves to the same place again.
  const again = parseUrl(path, base);
  if (path.startsWith("//") || !again || again.href !== url.href) return DEFAULT_AFTER_LOGIN;
  if (url.pathname === "/login" || url.pathname.startsWith("/login/")) return DEFAULT_AFTER_LOGIN;
  return path;
}

function parseUrl(input: string, base?: URL): URL | null {
  try {
    return new URL(input, base);
  } catch {
    return null;
  }
}

const LINK_BASE = new URL("http://deskpilot.invalid/");

/** Link targets allowed in rendered Markdown. */
export type LinkKind = "external" | "internal" | null;

export function classifyHref(href: string | null | undefined): LinkKind {
  if (!href) return null;
  const trimmed = href.trim();
  if (trimmed.startsWith("/")) {
    // Judged as the browser reads it: `/<TAB>/evil.example` is another site, not a path.
    const local = parseUrl(trimmed, LINK_BASE);
    const stays = local !== null && local.origin === LINK_BASE.origin && !local.pathname.startsWith("//");
    return stays ? "internal" : null;
  }
  const url = parseUrl(trimmed);
  if (!url) return null;
  return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? "external" : null;
}
