import { adminRouter } from "./routers/admin.ts";
import { apiKeysRouter } from "./routers/api-keys.ts";
import { auditRouter } from "./routers/audit.ts";
import { batchRunsRouter } from "./routers/batch-runs.ts";
import { datasetsRouter } from "./routers/datasets.ts";
import { authRouter } from "./routers/auth.ts";
import { commentsRouter } from "./routers/comments.ts";
import { deploymentsRouter } from "./routers/deployments.ts";
import { executionsRouter } from "./routers/executions.ts";
import { filesRouter } from "./routers/files.ts";
import { maintenanceRouter } from "./routers/maintenance.ts";
import { promptsRouter } from "./routers/prompts.ts";
import { providersRouter } from "./routers/providers.ts";
import { settingsRouter } from "./routers/settings.ts";
import { tenantsRouter } from "./routers/tenants.ts";
import { usageRouter } from "./routers/usage.ts";
import { usersRouter } from "./routers/users.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { router } from "./trpc.ts";

/** The public contract of the typed client: these router names are stable. */
export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  settings: settingsRouter,
  providers: providersRouter,
  prompts: promptsRouter,
  executions: executionsRouter,
  comments: commentsRouter,
  files: filesRouter,
  datasets: datasetsRouter,
  batchRuns: batchRunsRouter,
  deployments: deploymentsRouter,
  audit: auditRouter,
  tenants: tenantsRouter,
  admin: adminRouter,
  maintenance: maintenanceRouter,
  usage: usageRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
