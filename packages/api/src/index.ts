export { appRouter, type AppRouter } from "./root.ts";
export { createContext, createInnerContext, type Context, type InnerContext } from "./context.ts";
export { readApiConfig, type ApiConfig } from "./config.ts";
export { identifyTenant, type Identification, type TenantIdentifier } from "./tenant-identification.ts";
export { resolveTenant, TenantUnavailableError } from "./tenant-resolution.ts";
export { hostName, parseCookies, requestInfoFrom, type RequestInfo } from "./request-info.ts";
export { createCallerFactory } from "./trpc.ts";
