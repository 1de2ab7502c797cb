import { ConflictError } from "@sigil/db";
import { describe, expect, test } from "vitest";
import { FOREIGN_KEY_MESSAGE, INTERNAL_MESSAGE, publicMessage, toTRPCError } from "./errors.ts";

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, name: "SqliteError" });
}

describe("toTRPCError: foreign-key failures", () => {
  test("a raw SQLite FOREIGN KEY failure (a prompt deleted concurrently) is a 409 with a sentence, not a 500", () => {
    const error = toTRPCError(sqliteError("SQLITE_CONSTRAINT_FOREIGNKEY", "FOREIGN KEY constraint failed"));
    expect(error.code).toBe("CONFLICT");
    expect(publicMessage(error)).toBe(FOREIGN_KEY_MESSAGE);
  });

  test("wrapped in a ConflictError by the model layer, its own message is kept", () => {
    const error = toTRPCError(
      new ConflictError("This deployment refers to something that was deleted meanwhile.", { cause: sqliteError("SQLITE_CONSTRAINT_FOREIGNKEY", "x") }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe("This deployment refers to something that was deleted meanwhile.");
  });

  test("other SQLite errors stay internal and hidden", () => {
    const error = toTRPCError(sqliteError("SQLITE_CORRUPT", "database disk image is malformed"));
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    expect(publicMessage(error)).toBe(INTERNAL_MESSAGE);
  });
});
