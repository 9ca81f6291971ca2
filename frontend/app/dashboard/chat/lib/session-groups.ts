/** The sidebar's chats grouped by when they were last active (Today, Yesterday, …). Pure. */

export interface DatedItem {
  updated_at: string;
}

export interface SessionGroup<T> {
  label: string;
  items: T[];
}

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function groupLabel(updatedAt: string, now: Date): string {
  const today = startOfDay(now);
  const at = new Date(updatedAt).getTime();
  if (at >= today) return "Today";
  if (at >= today - DAY_MS) return "Yesterday";
  if (at >= today - 7 * DAY_MS) return "Previous 7 days";
  if (at >= today - 30 * DAY_MS) return "Previous 30 days";
  return "Older";
}

/** Items in their order (newest first), cut into consecutive groups by `groupLabel`. */
export function groupByDate<T extends DatedItem>(items: readonly T[], now: Date): SessionGroup<T>[] {
  const groups: SessionGroup<T>[] = [];
  for (const item of items) {
    const label = groupLabel(item.updated_at, now);
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.items.push(item);
    else groups.push({ label, items: [item] });
  }
  return groups;
}
