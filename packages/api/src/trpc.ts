import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError, z } from "zod";
import { SignInLockedError, type LockoutErrorData } from "./auth/lockout.ts";
import type { Context } from "./context.ts";
import { InputSchemaTRPCError, publicMessage, QuotaTRPCError, toTRPCError, type InputSchemaFailure, type QuotaErrorData } from "./errors.ts";
import { TenantInMaintenanceError } from "./tenant-maintenance-guard.ts";
import { TenantUnavailableError } from "./tenant-resolution.ts";
import { transformer } from "./transformer.ts";

// The meta of a procedure may expose it as a REST route too (src/rest/openapi.ts).
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      const quota: QuotaErrorData | null = error instanceof QuotaTRPCError ? error.quota : null;
      // A locked sign-in: when it ends, for clients to show in the reader's time zone.
      const lockout: LockoutErrorData | null = error instanceof SignInLockedError ? error.lockout : null;
      // A known workspace that is not active: clients show a "suspended" page instead of an error.
      // A workspace in maintenance: clients show its banner with the reason and expected end.
      const maintenance = error instanceof TenantInMaintenanceError ? error.maintenance : null;
      // Variables refused by a prompt's input schema: per field (and per dataset item) for the form or grid.
      const inputErrors: InputSchemaFailure[] | null = error instanceof InputSchemaTRPCError ? error.inputErrors : null;
      const tenantStatus: TenantUnavailableError["tenantStatus"] | null = error instanceof TenantUnavailableError ? error.tenantStatus : null;
      return {
        ...shape,
        message: zodError ? describeZodError(zodError) : publicMessage(error),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          zodError,
          quota,
          lockout,
          tenantStatus,
          maintenance,
          inputErrors,
        },
      };
    },
  });

export function describeZodError(flat: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> }): string {
  const fields = Object.entries(flat.fieldErrors).flatMap(([field, messages]) => (messages?.[0] ? [`${field}: ${messages[0]}`] : []));
  const parts = [...flat.formErrors, ...fields];
  return parts.length > 0 ? `Invalid input: ${parts.join("; ")}` : "Invalid input.";
}

/** Converts domain errors thrown anywhere below into tRPC errors (the one place, see errors.ts). */
const convertErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const converted = toTRPCError(result.error);
    if (converted !== result.error) throw converted;
  }
  return result;
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(convertErrors);
export { TRPCError };
