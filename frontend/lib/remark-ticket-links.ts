/**
 * remark plugin: turn `#47` in plain text into a link to ticket 47.
 * Leaves code, inline code and existing links alone.
 */
import type { Link, Parent, PhrasingContent, Root, RootContent, Text } from "mdast";
import { routes } from "./urls";

const TICKET_REF = /(^|[^\p{L}\p{N}_&#/])#(\d{1,9})(?![\p{L}\p{N}_])/gu;

export function splitTicketRefs(value: string): PhrasingContent[] | null {
  const out: PhrasingContent[] = [];
  let last = 0;
  let found = false;
  for (const match of value.matchAll(TICKET_REF)) {
    found = true;
    const prefix = match[1] ?? "";
    const number = match[2] ?? "";
    const hashAt = (match.index ?? 0) + prefix.length;
    if (hashAt > last) out.push({ type: "text", value: value.slice(last, hashAt) } satisfies Text);
    out.push({
      type: "link",
      url: routes.ticket(number),
      title: `Ticket #${number}`,
      children: [{ type: "text", value: `#${number}` }],
    } satisfies Link);
    last = hashAt + 1 + number.length;
  }
  if (!found) return null;
  if (last < value.length) out.push({ type: "text", value: value.slice(last) } satisfies Text);
  return out;
}

function walk(node: Parent): void {
  const next: RootContent[] = [];
  let changed = false;
  for (const child of node.children as RootContent[]) {
    if (child.type === "text") {
      const parts = splitTicketRefs(child.value);
      if (parts) {
        next.push(...parts);
        changed = true;
        continue;
      }
    } else if (child.type !== "link" && child.type !== "linkReference" && "children" in child) {
      walk(child as Parent);
    }
    next.push(child);
  }
  if (changed) (node as { children: RootContent[] }).children = next;
}

export function remarkTicketLinks() {
  return (tree: Root) => walk(tree);
}
