import { deploymentModel, type DeploymentRow } from "@sigil/db";
import { createDeploymentInput, deploymentIdInput, listDeploymentsInput, promptIdInput, runDeploymentInput, updateDeploymentInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { withUniqueName } from "../services/unique-names.ts";
import { assertProviderOptions, createExecution, resolvePromptVersion, resolveProviderModel } from "../services/executions.ts";
import { toJsonObject } from "../services/json-values.ts";
import { ERRORS } from "../rest/errors.ts";
import { executionOutput } from "../rest/outputs.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", feature: "deployments" });
const manage = authedProcedure({ role: "admin", feature: "deployments" });
const run = authedProcedure({ role: "user", scope: "deployments:run", feature: "deployments" });

const notFound = (id: string) => new TRPCError({ code: "NOT_FOUND", message: `Deployment ${id} does not exist.` });

async function requireDeployment(id: string): Promise<DeploymentRow> {
  const deployment = await deploymentModel.findById(id);
  if (!deployment) throw notFound(id);
  return deployment;
}

export const deploymentsRouter = router({
  /** A named, stable entry point to a prompt (pinned version, or the current one when null) with a provider and model. */
  create: manage.input(createDeploymentInput).mutation(async ({ ctx, input }) => {
    await resolvePromptVersion(input.promptId, input.promptVersion);
    const { kind } = await resolveProviderModel(input.provider, input.model);
    const options = toJsonObject(input.options, "options");
    assertProviderOptions(kind, options);
    const deployment = await withUniqueName("deployment", input.name, () => deploymentModel.createForPrompt({ ...input, options, createdBy: ctx.user.id }));
    await recordAudit(ctx, "deployment.created", { type: "deployment", id: deployment.id }, { name: deployment.name, promptId: deployment.promptId });
    return deployment;
  }),

  /** By name. */
  list: read.input(listDeploymentsInput.prefault({})).query(({ input }) =>
    deploymentModel.findWithPagination({
      where: input.promptId !== undefined ? { promptId: input.promptId } : undefined,
      orderBy: { column: "name" },
      page: input.page,
      pageSize: input.pageSize,
    }),
  ),

  /**
   * A prompt's deployments as labels on its versions: each with the version it serves now and
   * whether it is pinned there or follows the latest version.
   */
  forPrompt: read.input(promptIdInput).query(async ({ input }) => {
    const found = await deploymentModel.forPrompt(input.id);
    if (!found) throw new TRPCError({ code: "NOT_FOUND", message: `Prompt ${input.id} does not exist.` });
    return found;
  }),

  get: read.input(deploymentIdInput).query(({ input }) => requireDeployment(input.id)),

  update: manage.input(updateDeploymentInput).mutation(async ({ ctx, input }) => {
    const { id: deploymentId, ...patch } = input;
    const before = await requireDeployment(deploymentId);
    if (patch.promptVersion !== undefined) await resolvePromptVersion(before.promptId, patch.promptVersion);
    const options = patch.options === undefined ? undefined : toJsonObject(patch.options, "options");
    if (patch.provider !== undefined || patch.model !== undefined || options !== undefined) {
      // The options must suit the provider the deployment will have (a new one, or its current one).
      const { kind } = await resolveProviderModel(patch.provider ?? before.provider, patch.model ?? before.model);
      assertProviderOptions(kind, options ?? before.options);
    }
    const updated = await withUniqueName("deployment", patch.name, () => deploymentModel.update(deploymentId, { ...patch, options }));
    if (!updated) throw notFound(deploymentId);
    const changed = (["name", "promptVersion", "provider", "model", "options"] as const).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(updated[field]),
    );
    if (changed.length > 0) await recordAudit(ctx, "deployment.updated", { type: "deployment", id: deploymentId }, { name: updated.name, changed });
    return updated;
  }),

  /** Past executions keep their history (their deployment id becomes null). */
  delete: manage.input(deploymentIdInput).mutation(async ({ ctx, input }) => {
    const deployment = await requireDeployment(input.id);
    if (!(await deploymentModel.delete(deployment.id))) throw notFound(input.id);
    await recordAudit(ctx, "deployment.deleted", { type: "deployment", id: deployment.id }, { name: deployment.name });
    return { ok: true as const, id: deployment.id };
  }),

  /** Runs a deployment by name: a pending execution, exactly like executions.create (the quota applies). */
  run: run
    .meta({
      openapi: {
        method: "POST",
        path: "/deployments/{name}/run",
        tags: ["deployments"],
        summary: "Run a deployment by name",
        description: "A pending execution of the deployment's prompt version with its provider and model, like POST /executions (the quota applies).",
        errorResponses: ERRORS.write,
      },
    })
    .input(runDeploymentInput)
    .output(executionOutput)
    .mutation(async ({ ctx, input }) => {
      const deployment = await deploymentModel.findByName(input.name);
      if (!deployment) throw new TRPCError({ code: "NOT_FOUND", message: `No deployment is named "${input.name}".` });
      return createExecution(ctx, { kind: "deployment", deployment, input: input.input, fileIds: input.fileIds });
    }),
});
