/** Client-side routes and URL safety checks. Pure. */

export const routes = {
  login: (next?: string) => (next ? `/login/?next=${encodeURIComponent(next)}` : "/login/"),
  tickets: () => "/dashboard/tickets/",
  ticket: (ref: string | number) => `/dashboard/tickets/view/?ref=${encodeURIComponent(String(ref))}`,
  chat: (sessionId?: string | null) =>
    sessionId ? `/dashboard/chat/?session=${encodeURIComponent(sessionId)}` : "/dashboard/chat/",
};

export const DEFAULT_AFTER_LOGIN = routes.chat();

/** Only same-origin absolute paths are allowed as a post-login destination. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next) return DEFAULT_AFTER_LOGIN;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return DEFAULT_AFTER_LOGIN;
  if (next.startsWith("/login")) return DEFAULT_AFTER_LOGIN;
  return next;
}

/** Link targets allowed in rendered Markdown. */
export type LinkKind = "external" | "internal" | null;

export function classifyHref(href: string | null | undefined): LinkKind {
  if (!href) return null;
  const trimmed = href.trim();
  if (trimmed.startsWith("/") && !trimmed.startsWith("//") && !trimmed.startsWith("/\\")) return "internal";
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? "external" : null;
}
