import {
  executionModel,
  fileModel,
  isForeignKeyViolation,
  promptModel,
  settingsModel,
  type DeploymentRow,
  type ExecutionRow,
  type MonthlyLimits,
  type PromptVersionRow,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { providerKind, providerOptionsProblem, type ProviderOptionsKind } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { assertFeatureEnabled } from "../features.ts";
import { assertInputFollowsSchema } from "./input-validation.ts";
import { toJsonObject } from "./json-values.ts";

/**
 * Creating an execution, shared by `executions.create` (from a prompt version or a deployment)
 * and `deployments.run`. Everything is checked before anything is written; the monthly quota is
 * enforced by `executionModel.createWithinMonthlyLimit` (count and insert in one IMMEDIATE
 * transaction), so parallel requests never overshoot; so is the token budget (a month whose
 * tokens reached it refuses new executions). The execution starts `pending`; the worker
 * takes it from there.
 */

/** The built-in, deterministic provider: renders the prompt version with the input (no network). */
export const TEMPLATE_PROVIDER = "template";
export const TEMPLATE_MODEL = "mustache";
/** The settings `type` under which the settings router stores provider credentials. */
export const PROVIDER_SETTING_TYPE = "provider";

export type ExecutionRequest =
  | {
      kind: "prompt";
      promptId: string;
      version?: number | undefined;
      input: Record<string, unknown>;
      provider: string;
      model?: string | undefined;
      fileIds: string[];
      options?: Record<string, unknown> | undefined;
    }
  | { kind: "deployment"; deployment: DeploymentRow; input: Record<string, unknown>; fileIds: string[]; options?: Record<string, unknown> | undefined };

export interface ExecutionActor {
  tenant: Pick<TenantRow, "limitExecutionsPerMonth" | "limitTokensPerMonth" | "features">;
  user: Pick<UserRow, "id">;
}

/** The plan limits execution creation enforces (the tenant registry's columns). */
export function monthlyLimitsOf(tenant: Pick<TenantRow, "limitExecutionsPerMonth" | "limitTokensPerMonth">): MonthlyLimits {
  return { executions: tenant.limitExecutionsPerMonth, tokens: tenant.limitTokensPerMonth };
}

const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });
const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });

/** The prompt version an execution runs: a given one, or the prompt's current one. */
export async function resolvePromptVersion(promptId: string, version: number | null | undefined): Promise<PromptVersionRow> {
  const prompt = await promptModel.findById(promptId);
  if (!prompt) throw notFound(`Prompt ${promptId} does not exist.`);
  const wanted = version ?? prompt.currentVersion;
  const row = await promptModel.getVersion(promptId, wanted);
  if (!row) {
    throw notFound(`Prompt "${prompt.name}" has no version ${wanted}; its versions are 1 to ${prompt.currentVersion}.`);
  }
  return row;
}

/**
 * The provider must be the built-in `template` provider or an active one configured in the
 * tenant's settings; the model defaults to the provider's configured default model. The kind says
 * which options the provider takes (a stored provider without one is OpenAI-compatible).
 */
export async function resolveProviderModel(
  provider: string,
  model: string | null | undefined,
): Promise<{ provider: string; model: string; kind: ProviderOptionsKind }> {
  if (provider === TEMPLATE_PROVIDER) return { provider, model: model ?? TEMPLATE_MODEL, kind: "template" };
  const setting = await settingsModel.get(PROVIDER_SETTING_TYPE, provider);
  if (!setting) {
    throw badRequest(`No provider "${provider}" is configured for this workspace. Add it in the settings, or use the "${TEMPLATE_PROVIDER}" provider.`);
  }
  if (setting.payload.active === false) {
    throw badRequest(`Provider "${provider}" is deactivated in this workspace's settings; activate it there, or choose another provider.`);
  }
  const kind = providerKind.safeParse(setting.payload.kind ?? "openai-compatible");
  if (!kind.success) throw badRequest(`Provider "${provider}" has an unknown kind; an admin must save its settings again.`);
  const fallback = setting.payload.defaultModel;
  const resolved = model ?? (typeof fallback === "string" && fallback.trim() !== "" ? fallback : null);
  if (resolved === null) throw badRequest(`Choose a model: provider "${provider}" has no default model configured.`);
  return { provider, model: resolved, kind: kind.data };
}

/** Options a provider kind refuses (unknown name, out of range) are a 400 naming each, before anything is saved. */
export function assertProviderOptions(kind: ProviderOptionsKind, options: Record<string, unknown>): void {
  const problem = providerOptionsProblem(kind, options);
  if (problem !== null) throw badRequest(problem);
}

/** Files can be attached only to a prompt version that accepts files, and only files that exist. */
export async function resolveFileIds(fileIds: readonly string[], version: PromptVersionRow): Promise<string[]> {
  const unique = [...new Set(fileIds)];
  if (unique.length === 0) return [];
  if (!version.acceptsFiles) {
    throw badRequest(`Prompt "${version.name}" (version ${version.version}) does not accept files; remove the file ids or enable files on the prompt.`);
  }
  const missing: string[] = [];
  for (const id of unique) {
    if ((await fileModel.count({ id })) === 0) missing.push(id);
  }
  if (missing.length > 0) throw badRequest(`Unknown file id${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}. Upload the files first.`);
  return unique;
}

export async function createExecution(actor: ExecutionActor, request: ExecutionRequest): Promise<ExecutionRow> {
  if (request.kind === "deployment") assertFeatureEnabled(actor.tenant, "deployments");
  if (request.fileIds.length > 0) assertFeatureEnabled(actor.tenant, "files");
  const input = toJsonObject(request.input, "input");
  const version =
    request.kind === "prompt" ? await resolvePromptVersion(request.promptId, request.version) : await resolveDeploymentVersion(request.deployment);
  const target =
    request.kind === "prompt"
      ? await resolveProviderModel(request.provider, request.model)
      : await resolveProviderModel(request.deployment.provider, request.deployment.model);
  assertInputFollowsSchema(version, input);
  const fileIds = await resolveFileIds(request.fileIds, version);
  // A deployment's options, overridden one by one by the request's; stored on the execution so a
  // later change of the deployment does not change what this run asked for.
  const given = request.options === undefined ? {} : toJsonObject(request.options, "options");
  const options = request.kind === "deployment" ? { ...request.deployment.options, ...given } : given;
  assertProviderOptions(target.kind, options);
  try {
    return await executionModel.createWithinMonthlyLimit(
      {
        promptId: version.promptId,
        promptVersion: version.version,
        deploymentId: request.kind === "deployment" ? request.deployment.id : null,
        input,
        fileIds,
        provider: target.provider,
        model: target.model,
        options,
        createdBy: actor.user.id,
      },
      monthlyLimitsOf(actor.tenant),
    );
  } catch (error) {
    // The prompt or deployment was deleted between the checks above and the insert.
    if (isForeignKeyViolation(error)) {
      throw new TRPCError({
        code: "CONFLICT",
        message: "The prompt or deployment was deleted while the execution was being created; nothing was saved.",
        cause: error,
      });
    }
    throw error;
  }
}

async function resolveDeploymentVersion(deployment: DeploymentRow): Promise<PromptVersionRow> {
  try {
    return await resolvePromptVersion(deployment.promptId, deployment.promptVersion);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") {
      throw notFound(`Deployment "${deployment.name}" points to a prompt version that no longer exists: ${error.message}`);
    }
    throw error;
  }
}
