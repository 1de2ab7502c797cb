import { adminAuditLogModel, installationStats, schemaStatusPage, sha256, systemAdminSessionModel, systemApiKeyModel } from "@sigil/db";
import {
  adminAuditInput,
  createSystemApiKeyInput,
  loginInput,
  migrationStatusInput,
  resetModelPriceInput,
  revokeSystemApiKeyInput,
  setModelPriceInput,
} from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { and, eq, type SQL } from "drizzle-orm";
import { generateApiKey } from "../auth/api-key-format.ts";
import { ADMIN_SESSION_COOKIE, clearCookie } from "../auth/cookies.ts";
import { assertSameOrigin } from "../auth/origin.ts";
import { adminHostProcedure, systemAdminProcedure } from "../procedures.ts";
import { recordSystemAction } from "../services/audit.ts";
import { toPublicAdminAuditEntry, toPublicSystemAdmin, toPublicSystemApiKey } from "../services/admin-shapes.ts";
import { priceTable, resetModelPrice, setModelPrice } from "../services/pricing/admin-prices.ts";
import { checkSystemAdminCredentials, startSystemAdminSession } from "../services/system-admin-auth.ts";
import { router } from "../trpc.ts";

/**
 * The admin dashboard's API on `admin.<ROOT_DOMAIN>`: sign-in of system administrators, system
 * statistics, the tenants' schema versions and migrations, system-admin API keys and the admin
 * audit log. Tenants themselves are managed by the `tenants` router.
 */
export const adminRouter = router({
  /**
   * Signs a system administrator in. Unknown emails and wrong passwords get the same answers in
   * the same time; 5 failures lock the email for 30 minutes (like the tenant sign-in).
   */
  login: adminHostProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    // A login sets a cookie: a cross-site form must not be able to sign a victim in.
    assertSameOrigin(ctx.request, { required: false });
    // Failures are audited by checkSystemAdminCredentials, one entry per email and window.
    const admin = await checkSystemAdminCredentials(ctx, input.email, input.password);
    await startSystemAdminSession(ctx, admin);
    await recordSystemAction(ctx, admin, "admin.login");
    return { admin: toPublicSystemAdmin(admin) };
  }),

  logout: adminHostProcedure.mutation(async ({ ctx }) => {
    const token = ctx.request.cookies[ADMIN_SESSION_COOKIE];
    if (token) {
      assertSameOrigin(ctx.request, { required: true });
      const session = await systemAdminSessionModel.findByTokenHash(sha256(token));
      if (session) await systemAdminSessionModel.delete(session.id);
    }
    clearCookie(ctx, ADMIN_SESSION_COOKIE);
    return { ok: true as const };
  }),

  me: systemAdminProcedure.query(({ ctx }) => ({ admin: toPublicSystemAdmin(ctx.systemAdmin) })),

  /**
   * Installation-wide numbers: tenants by status and plan, users, executions this month (UTC),
   * stored and database bytes, prompts and files: aggregate SQL over tenants, tenant_usage and
   * users in shared.sqlite. No tenant file is opened. `schemaNotCurrent` counts tenants whose
   * file is behind the code's schema or whose version was never recorded.
   */
  stats: systemAdminProcedure.query(() => installationStats()),

  /**
   * Schema version of tenant files against the latest tenant migration, as the control plane
   * recorded it (provisioning, the migration runner, repair): one page, optionally one state,
   * with the counts per state. Opens no tenant file; `pnpm db:repair` re-reads the files.
   */
  migrationStatus: systemAdminProcedure.input(migrationStatusInput).query(({ input }) => schemaStatusPage(input)),

  /** A system-admin API key (`sgla_…`): the plain key is returned here, once. */
  createApiKey: systemAdminProcedure.input(createSystemApiKeyInput).mutation(async ({ ctx, input }) => {
    const generated = generateApiKey("system");
    const row = await systemApiKeyModel.create({ adminId: ctx.systemAdmin.id, name: input.name, keyId: generated.keyId, secretHash: generated.secretHash });
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.api_key_created", { apiKeyId: row.id, keyId: row.keyId, name: row.name });
    return { key: generated.plain, apiKey: toPublicSystemApiKey(row) };
  }),

  /** Every system-admin API key (of every administrator), newest first; never a secret. */
  listApiKeys: systemAdminProcedure.query(async () => {
    const keys = await systemApiKeyModel.findMany({ orderBy: { column: "createdAt", direction: "desc" } });
    return keys.map(toPublicSystemApiKey);
  }),

  revokeApiKey: systemAdminProcedure.input(revokeSystemApiKeyInput).mutation(async ({ ctx, input }) => {
    const key = await systemApiKeyModel.findById(input.id);
    if (!key) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key." });
    const revoked = key.status === "revoked" ? key : await systemApiKeyModel.update(key.id, { status: "revoked", revokedAt: new Date() });
    if (!revoked) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key." });
    if (key.status !== "revoked") {
      await recordSystemAction(ctx, ctx.systemAdmin, "admin.api_key_revoked", { apiKeyId: key.id, keyId: key.keyId, name: key.name });
    }
    return toPublicSystemApiKey(revoked);
  }),

  /** The admin audit log (survives tenant deletion), newest first, paginated. */
  audit: systemAdminProcedure.input(adminAuditInput).query(async ({ input }) => {
    const page = await adminAuditLogModel.findWithPagination({
      where: (t) => {
        const conditions: SQL[] = [];
        if (input.tenantId !== undefined) conditions.push(eq(t.tenantId, input.tenantId));
        if (input.action !== undefined) conditions.push(eq(t.action, input.action));
        return conditions.length > 0 ? and(...conditions) : undefined;
      },
      orderBy: { column: "createdAt", direction: "desc" },
      page: input.page,
      pageSize: input.pageSize,
    });
    return { ...page, data: page.data.map(toPublicAdminAuditEntry) };
  }),

  /**
   * The price table in force (code defaults, the administrator's overrides, models only the
   * administrator priced) and when the defaults were taken. Prices apply to executions that
   * finish after a change; stored costs are never recomputed.
   */
  prices: systemAdminProcedure.query(() => priceTable()),

  /** Sets (overrides or adds) the price of a provider kind and model; audited with the price before. */
  setPrice: systemAdminProcedure.input(setModelPriceInput).mutation(async ({ ctx, input }) => {
    const { before, after } = await setModelPrice(input, ctx.systemAdmin.email);
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.price_set", { ...input, before });
    return after;
  }),

  /** Removes the administrator's price: the default applies again (a model without a default has no price). */
  resetPrice: systemAdminProcedure.input(resetModelPriceInput).mutation(async ({ ctx, input }) => {
    const removed = await resetModelPrice(input);
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.price_reset", {
      ...input,
      removed: { inputUsdPerMillion: removed.inputUsdPerMillion, outputUsdPerMillion: removed.outputUsdPerMillion },
    });
    return { ok: true as const };
  }),
});
