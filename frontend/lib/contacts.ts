/** Callers: their short handle, the edit form's patch, and the duplicate check's rules. Pure. */
import type { Contact, ContactUpdate } from "./api-types";

/** "C-12": how a contact is named to people and to the copilot. */
export function contactHandle(number: number): string {
  return `C-${number}`;
}

/** "Maria Lopez · Acme": a caller in one line. */
export function callerLine(contact: { name: string; organization?: string | null }): string {
  return contact.organization ? `${contact.name} · ${contact.organization}` : contact.name;
}

/** What the contact form holds: text boxes, "" for empty. */
export interface ContactFormValues {
  name: string;
  phone: string;
  email: string;
  organization: string;
  notes: string;
}

export function formValues(contact: Contact | null): ContactFormValues {
  return {
    name: contact?.name ?? "",
    phone: contact?.phone_display ?? contact?.phone ?? "",
    email: contact?.email ?? "",
    organization: contact?.organization?.name ?? "",
    notes: contact?.notes ?? "",
  };
}

/**
 * The fields the agent changed, as the API takes them: trimmed, an emptied phone, e-mail or
 * organisation as null (which clears it). The phone counts as unchanged when only its
 * formatting differs from what was shown.
 */
export function contactPatch(before: ContactFormValues, after: ContactFormValues): ContactUpdate {
  const patch: ContactUpdate = {};
  const name = after.name.trim();
  if (name !== before.name.trim()) patch.name = name;
  if (phoneDigits(after.phone) !== phoneDigits(before.phone) || (after.phone.trim() === "") !== (before.phone.trim() === "")) {
    patch.phone = after.phone.trim() || null;
  }
  for (const field of ["email", "organization"] as const) {
    const value = after[field].trim();
    if (value !== before[field].trim()) patch[field] = value || null;
  }
  if (after.notes.trim() !== before.notes.trim()) patch.notes = after.notes.trim();
  return patch;
}

/** The digits of a phone number as typed, a leading + kept: "+1 (555) 010-2030" → "+15550102030". */
export function phoneDigits(text: string): string {
  const trimmed = text.trim();
  return (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "");
}

/** The duplicate check waits for words worth comparing: a title of 2+ words or 8+ letters in all. */
export function worthChecking(title: string, description: string): boolean {
  const words = `${title} ${description}`.match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return words.length >= 2 || words.join("").length >= 8;
}

/** "45 s", "4 min", "1 h 5 min"; "" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds < 0) return "";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Minutes as typed ("4", "2.5", "") → whole seconds, or null (none or not a number). */
export function minutesToSeconds(text: string): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (!trimmed) return null;
  const minutes = Number(trimmed);
  return Number.isFinite(minutes) && minutes >= 0 ? Math.round(minutes * 60) : null;
}

/**
 * An E.164 number as people read it: North American numbers as "+1 555-010-2030" (the API's
 * phone_display does every country; a ContactRef carries only the E.164 form), others as stored.
 */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return "";
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}` : e164;
}
