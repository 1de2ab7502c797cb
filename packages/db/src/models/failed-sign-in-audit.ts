import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { jsonNumberField } from "../engine/dialect.ts";
import type { Session } from "../engine/session.ts";

/**
 * Failed sign-ins are audited as one entry per sign-in key and failure window, carrying the
 * window's count, instead of one entry per attempt: the attempts are unauthenticated, and an
 * entry each would let anyone grow a tenant's audit log without bound. The entry's id is derived
 * from the key and the window's start, so every failure of the window (in any process) lands on
 * the same row; this is the only change the append-only audit logs allow, and it can only raise
 * the count of a failed-sign-in entry.
 */
export interface FailedSignInWindow {
  /** The sign-in key (models/sign-in-guard.ts) the failures were counted under. */
  key: string;
  email: string;
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
  at: Date;
}

/** A UUID-shaped id that is the same for every failure of one key and window. */
export function failedSignInEntryId(window: Pick<FailedSignInWindow, "key" | "windowStartedAt">): string {
  const hex = createHash("sha256").update(`failed-sign-in\0${window.key}\0${window.windowStartedAt.getTime()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function failedSignInDetails(window: FailedSignInWindow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: window.email,
    failures: window.failures,
    windowStartedAt: window.windowStartedAt.toISOString(),
    lastAttemptAt: window.at.toISOString(),
    lockedUntil: window.lockedUntil?.toISOString() ?? null,
    ...extra,
  };
}

/** The update's guard: only this action's entries, and only to a higher count (out-of-order writes). */
export function onlyRaisesFailedSignInCount(session: Session, action: SQLiteColumn, details: SQLiteColumn, actionName: string): SQL {
  return sql`${action} = ${actionName} AND ${jsonNumberField(session, details, "failures")} < ${jsonNumberField(session, sql`excluded.details`, "failures")}`;
}
