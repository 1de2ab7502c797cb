import { z } from "zod";
import { id, pagination, variables } from "./common.ts";

const deploymentName = z
  .string()
  .trim()
  .min(1, "Enter a name for the deployment.")
  .max(100, "Enter at most 100 characters.")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lower-case letters, digits, dots, dashes and underscores.");
const options = z.record(z.string(), z.unknown()).default({});

export const createDeploymentInput = z.object({
  name: deploymentName,
  promptId: z.uuid({ error: "Choose a prompt." }),
  promptVersion: z.int().min(1).nullable().default(null),
  provider: z.string().trim().min(1, "Choose a provider.").max(50),
  model: z.string().trim().min(1, "Enter the model to use.").max(200),
  options,
});
export const updateDeploymentInput = z.object({
  id,
  name: deploymentName.optional(),
  promptVersion: z.int().min(1).nullable().optional(),
  provider: z.string().trim().min(1).max(50).optional(),
  model: z.string().trim().min(1).max(200).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export const deploymentIdInput = z.object({ id });
export const runDeploymentInput = z
  .object({ name: deploymentName, input: variables, fileIds: z.array(id).max(20).default([]) })
  .meta({ examples: [{ input: { name: "Ada" } }] });
export const listDeploymentsInput = pagination.extend({ promptId: id.optional() });
