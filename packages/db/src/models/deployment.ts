import { and, eq } from "drizzle-orm";
import { ConflictError } from "../errors.ts";
import { deployments } from "../schema/tenant/deployments.ts";
import { prompts, promptVersions } from "../schema/tenant/prompts.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type DeploymentRow = RowOf<typeof deployments>;
type DeploymentCreate = Parameters<IsolatedModel<typeof deployments>["create"]>[0];

export class DeploymentModel extends IsolatedModel<typeof deployments> {
  constructor() {
    super(deployments);
  }

  async findByName(name: string): Promise<DeploymentRow | null> {
    return this.findOne({ name });
  }

  /**
   * Creates a deployment in one IMMEDIATE transaction that first checks its prompt (and pinned
   * version) still exists: serialized with PromptModel.deleteUnlessDeployed, so a prompt deleted
   * concurrently refuses the deployment with a ConflictError instead of a foreign-key failure,
   * and a deployment that was created is never cascade-deleted by a delete that had already
   * checked for deployments.
   */
  async createForPrompt(data: DeploymentCreate): Promise<DeploymentRow> {
    return this.withDatabase("deployments.createForPrompt", (db) =>
      this.transaction(
        db,
        (tx) => {
          const prompt = tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, data.promptId)).get();
          if (!prompt) throw new ConflictError(`Prompt ${data.promptId} was deleted while the deployment was being created; nothing was saved.`);
          if (data.promptVersion !== null && data.promptVersion !== undefined) {
            const version = tx
              .select({ id: promptVersions.id })
              .from(promptVersions)
              .where(and(eq(promptVersions.promptId, data.promptId), eq(promptVersions.version, data.promptVersion)))
              .get();
            if (!version) throw new ConflictError(`Version ${data.promptVersion} of prompt ${data.promptId} no longer exists; nothing was saved.`);
          }
          return this.createSync(data);
        },
        "immediate",
      ),
    );
  }
}

export const deploymentModel = new DeploymentModel();
