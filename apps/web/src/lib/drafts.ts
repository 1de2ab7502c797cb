/**
 * Drafts of forms kept across a reload, in `sessionStorage` (per tab: a closed tab takes its drafts
 * with it, and nothing typed lingers on a shared computer). A key names the workspace, the user and
 * the form, so another account in the same tab never sees them. Values are JSON; whatever cannot be
 * read back as the form's shape counts as no draft.
 */

const PREFIX = "sigil:draft:v1";

/** The parts of `Storage` drafts use (a Map-backed fake in tests). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** `scope` names the place and the person (`acme/<user id>`, `admin/<admin id>`); `form` the form. */
export function draftKey(scope: string, form: string): string {
  return `${PREFIX}:${scope}:${form}`;
}

/** The stored draft when `accept` recognizes it, else null (a broken or foreign value is removed). */
export function readDraft<T>(storage: DraftStorage, key: string, accept: (value: unknown) => value is T): T | null {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (accept(value)) return value;
  } catch {
    // Not JSON: dropped below like any other unreadable draft.
  }
  clearDraft(storage, key);
  return null;
}

/** Stores the draft; a full or unavailable storage only costs the draft, never the form. */
export function writeDraft(storage: DraftStorage, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: the form keeps working without a draft.
  }
}

export function clearDraft(storage: DraftStorage, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Storage disabled: there is nothing to clear.
  }
}

/** A plain object whose listed keys are strings (the shape most drafts check). */
export function hasStringFields<K extends string>(value: unknown, keys: readonly K[]): value is Record<K, string> & Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return keys.every((key) => typeof record[key] === "string");
}

/** A plain object of strings only (variable values). */
export function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === "string");
}
