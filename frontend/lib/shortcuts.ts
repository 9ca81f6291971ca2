/** The app's keyboard shortcuts (the `?` sheet lists them). Pure: which action a key press
 * means, given the key pressed before it. */

export type ShortcutAction = "help" | "composer" | "new-chat" | "search" | "go-tickets" | "go-chat";

export interface Shortcut {
  keys: readonly string[];
  action: ShortcutAction;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["?"], action: "help", label: "Show these shortcuts" },
  { keys: ["c"], action: "composer", label: "Write to the assistant (focus the composer)" },
  { keys: ["n"], action: "new-chat", label: "New chat" },
  { keys: ["/"], action: "search", label: "Search tickets" },
  { keys: ["g", "t"], action: "go-tickets", label: "Go to tickets" },
  { keys: ["g", "c"], action: "go-chat", label: "Go to chat" },
];

/** How long the second key of a two-key shortcut (`g` then `t`) may follow the first. */
export const SEQUENCE_MS = 1200;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action for `press`, with `previous` the key pressed just before (within SEQUENCE_MS),
 * or "prefix" when `press` starts a two-key shortcut. */
export function matchShortcut(press: KeyPress, previous: string | null): ShortcutAction | "prefix" | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  const literal = press.key; // "?" and "/" are matched as typed
  for (const shortcut of SHORTCUTS) {
    const [first, second] = shortcut.keys;
    if (second === undefined && previous === null && (first === literal || first === key)) return shortcut.action;
    if (second !== undefined && previous === first && second === key) return shortcut.action;
  }
  if (previous === null && SHORTCUTS.some((s) => s.keys.length === 2 && s.keys[0] === key)) return "prefix";
  return null;
}

/** Typing in a field is typing, not a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
}
