import { isUniqueViolation } from "@sigil/db";
import { TRPCError } from "@trpc/server";

/**
 * Runs a write whose `name` must be unique in the tenant. The unique index is the guard (it also
 * decides races); its ConflictError cannot name the thing, so it becomes a CONFLICT that does.
 */
export async function withUniqueName<R>(kind: "prompt" | "deployment" | "dataset", name: string | undefined, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (error) {
    // Only a unique violation is about the name; other conflicts (a prompt deleted meanwhile) keep their message.
    if (isUniqueViolation(error) && name !== undefined) {
      throw new TRPCError({ code: "CONFLICT", message: `A ${kind} named "${name}" already exists. Choose another name.`, cause: error });
    }
    throw error;
  }
}
