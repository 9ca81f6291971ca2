/**
 * What an agent typed and has not sent yet, and the chat they were in: kept in this browser
 * per user, so a reload, a trip to Tickets or signing in again after the session expired
 * loses nothing. Signing out forgets it (someone else may use this browser next).
 */

const PREFIX = "deskpilot:";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage blocked: drafts live only as long as the page
  }
}

function userPrefix(userId: string): string {
  return `${PREFIX}${userId}:`;
}

export function draftKey(userId: string, sessionId: string | null): string {
  return `${userPrefix(userId)}draft:${sessionId ?? "new"}`;
}

const lastChatKey = (userId: string) => `${userPrefix(userId)}last-chat`;

function read(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    const store = storage();
    if (!store) return;
    if (value) store.setItem(key, value);
    else store.removeItem(key);
  } catch {
    // full or blocked: the draft stays in the composer
  }
}

export const readDraft = (key: string): string => read(key) ?? "";
export const writeDraft = (key: string, text: string): void => write(key, text.trim() ? text : null);

/** The message is stored on the server: its draft (in this chat, or the new chat it began
 * in) goes, unless the agent has typed something else there since. */
export function forgetSentDraft(userId: string, sessionId: string, content: string): void {
  for (const key of [draftKey(userId, null), draftKey(userId, sessionId)]) {
    if (readDraft(key).trim() === content.trim()) writeDraft(key, "");
  }
}

export const lastChat = (userId: string): string | null => read(lastChatKey(userId));
export const rememberChat = (userId: string, sessionId: string | null): void =>
  write(lastChatKey(userId), sessionId);

/** Sign-out: this user's drafts and last chat leave the browser. */
export function forgetUser(userId: string): void {
  const store = storage();
  if (!store) return;
  try {
    const mine = Array.from({ length: store.length }, (_, i) => store.key(i)).filter(
      (key): key is string => key !== null && key.startsWith(userPrefix(userId)),
    );
    for (const key of mine) store.removeItem(key);
  } catch {
    // nothing more to do
  }
}
