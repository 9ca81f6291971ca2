/** Contacts (callers) and their calls. */

import { call } from "./api-client";
import type { Call, CallCreate, Contact, ContactCreate, ContactDetail, ContactListParams, ContactUpdate, ContactsPage } from "./api-types";

/** Contacts by name (no `q`), or matching `q`: name, organisation, e-mail, phone in any format. */
export function listContacts(params: ContactListParams = {}, signal?: AbortSignal): Promise<ContactsPage> {
  return call("get", "/api/contacts", { query: params, signal });
}

/** A contact by its number (C-12 → 12) or id, with their tickets and calls. */
export function getContact(ref: string | number, signal?: AbortSignal): Promise<ContactDetail> {
  return call("get", "/api/contacts/{ref}", { path: { ref: String(ref) }, signal });
}

/** A phone or e-mail another contact has is 409 naming the field. */
export function createContact(input: ContactCreate): Promise<Contact> {
  return call("post", "/api/contacts", { body: input });
}

export function updateContact(ref: string | number, patch: ContactUpdate): Promise<Contact> {
  return call("patch", "/api/contacts/{ref}", { path: { ref: String(ref) }, body: patch });
}

/** Admins: `duplicateId`'s tickets and calls move to `ref`, and the duplicate is deleted. */
export function mergeContacts(ref: string | number, duplicateId: string): Promise<ContactDetail> {
  return call("post", "/api/contacts/{ref}/merge", { path: { ref: String(ref) }, body: { duplicate_id: duplicateId } });
}

export function logCall(input: CallCreate): Promise<Call> {
  return call("post", "/api/calls", { body: input });
}
