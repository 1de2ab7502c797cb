import { migrateTenantFile, type MigrateFileOptions, type TenantFileMigration } from "../migrations/migrate-tenant-file.ts";
import type { MigrationFile } from "../migrations/migration-files.ts";
import { quickCheckFile, type FileQuickCheck } from "../quick-check.ts";

// What a file worker thread can do to one tenant file. Each operation opens the file on a
// connection of its own, never throws (the outcome is in the result) and imports nothing of
// Drizzle, so the worker bundle stays small and starts in a few milliseconds.

interface Operations {
  migrate: { options: MigrateFileOptions & { migrations: MigrationFile[] }; result: TenantFileMigration };
  quick_check: { options: MigrateFileOptions; result: FileQuickCheck };
}

export type FileOperationKind = keyof Operations;
export type FileOperation<K extends FileOperationKind = FileOperationKind> = { [P in K]: { kind: P } & Operations[P]["options"] }[K];
export type FileOperationResult<K extends FileOperationKind> = Operations[K]["result"];

export function runFileOperation<K extends FileOperationKind>(path: string, operation: FileOperation<K>): FileOperationResult<K>;
export function runFileOperation(path: string, operation: FileOperation): FileOperationResult<FileOperationKind> {
  switch (operation.kind) {
    case "migrate":
      return migrateTenantFile(path, operation.migrations, operation);
    case "quick_check":
      return quickCheckFile(path, operation);
  }
}

/** The result booked to the file a worker was on when its thread died. */
export function crashedResult<K extends FileOperationKind>(kind: K, message: string): FileOperationResult<K>;
export function crashedResult(kind: FileOperationKind, message: string): FileOperationResult<FileOperationKind> {
  const error = `Worker crashed: ${message}`;
  switch (kind) {
    case "migrate":
      return { status: "failed", applied: 0, fromVersion: 0, toVersion: 0, error, durationMs: 0 };
    case "quick_check":
      return { state: "problem", result: error, databaseBytes: 0, durationMs: 0 };
  }
}
