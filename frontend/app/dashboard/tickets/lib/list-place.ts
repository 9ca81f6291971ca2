/**
 * Where the tickets list was left in this tab: its filters (the URL's query string) and how
 * far it was scrolled. The ticket page's "← Tickets" goes back to those filters, and the list
 * opened again with them scrolls back to where it was. Client-side state only, no I/O.
 */
import { routes } from "@/lib/urls";

interface ListPlace {
  /** `?status=open&q=printer`, or "". */
  search: string;
  scrollY: number;
}

let place: ListPlace | null = null;

export function rememberListPlace(search: string, scrollY: number): void {
  place = { search, scrollY };
}

/** The list with the filters it was left with. */
export function listHref(): string {
  return place?.search ? `${routes.tickets()}${place.search}` : routes.tickets();
}

/** How far the list with these filters was scrolled when it was left, if it was. */
export function savedScroll(search: string): number | null {
  return place && place.search === search ? place.scrollY : null;
}
