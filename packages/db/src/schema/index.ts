import * as sharedSchema from "./shared/index.ts";
import * as tenantSchema from "./tenant/index.ts";

export * from "./shared/index.ts";
export * from "./tenant/index.ts";
export { sharedSchema, tenantSchema };
