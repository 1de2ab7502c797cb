import {
  apiKeyModel,
  auditLogModel,
  deploymentModel,
  executionModel,
  fileModel,
  promptModel,
  settingsModel,
  toTenantDocument,
  userModel,
  type TenantDocument,
} from "@sigil/db";

/**
 * What `sigil run` hands a script's default export. The models come from the CLI itself: a
 * script that imported @sigil/db would get another copy of it, with another tenant context and
 * another database manager, so it uses these. Every call is scoped to `tenant`, automatically.
 */
export interface TenantScriptContext {
  tenant: TenantDocument;
  /** The arguments after the script's path. */
  args: string[];
  models: typeof SCRIPT_MODELS;
}

/** A script for `sigil run`: `export default async function (context: TenantScriptContext) { … }`. */
export type TenantScript = (context: TenantScriptContext) => unknown;

const SCRIPT_MODELS = {
  prompts: promptModel,
  executions: executionModel,
  files: fileModel,
  deployments: deploymentModel,
  auditLog: auditLogModel,
  users: userModel,
  apiKeys: apiKeyModel,
  settings: settingsModel,
};

export function scriptContext(tenant: Parameters<typeof toTenantDocument>[0], args: string[]): TenantScriptContext {
  return { tenant: toTenantDocument(tenant), args, models: SCRIPT_MODELS };
}
