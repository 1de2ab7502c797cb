import { deploymentModel, promptModel, type PromptVersionRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { resolvePromptVersion } from "./executions.ts";

const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });

/**
 * The version of the prompt named `name`: `version`, or the one the deployment named `label`
 * runs (pinned, or the prompt's current version when it follows the latest), else the current one.
 */
export async function resolvePromptByName(request: { name: string; version?: number | undefined; label?: string | undefined }): Promise<PromptVersionRow> {
  const prompt = await promptModel.findByName(request.name);
  if (!prompt) throw notFound(`No prompt is named "${request.name}".`);
  if (request.label === undefined) return resolvePromptVersion(prompt.id, request.version);
  const deployment = await deploymentModel.findByName(request.label);
  if (!deployment) throw notFound(`No deployment is named "${request.label}".`);
  if (deployment.promptId !== prompt.id) throw notFound(`Deployment "${request.label}" does not serve prompt "${request.name}".`);
  return resolvePromptVersion(prompt.id, deployment.promptVersion);
}
