export { appRouter, type AppRouter } from "./root.ts";
export { createContext, createInnerContext, type Context, type InnerContext } from "./context.ts";
export { apiConfig, readApiConfig, type ApiConfig } from "./config.ts";
export { readServerSettings, readWorkerSettings, type ServerSettings, type WorkerSettings } from "./server-settings.ts";
export { identifyTenant, type Identification, type TenantIdentifier } from "./tenant-identification.ts";
export { resolveTenant, TenantUnavailableError } from "./tenant-resolution.ts";
export { hostName, parseCookies, requestInfoFrom, type RequestInfo } from "./request-info.ts";
export { createCallerFactory, publicProcedure, router } from "./trpc.ts";
export { authedProcedure, systemAdminProcedure, tenantProcedure, type Access } from "./procedures.ts";
export { authenticate, authenticateApiKey, type Identity } from "./auth/identity.ts";
export { generateApiKey, parseApiKey } from "./auth/api-key-format.ts";
export { apiKeyUsage } from "./auth/usage-recorder.ts";
export { AdminBootstrapError, ensureSystemAdmin, type BootstrapResult } from "./services/bootstrap-admin.ts";
export * from "./worker/index.ts";
export * from "./outbound/index.ts";
/** Most procedures one batch request may call (the API refuses more; clients split at it). */
export { MAX_BATCH_SIZE } from "@sigil/validators";
