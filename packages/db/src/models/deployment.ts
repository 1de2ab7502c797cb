import { and, asc, eq } from "drizzle-orm";
import { ConflictError } from "../errors.ts";
import { deployments } from "../schema/tenant/deployments.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type DeploymentRow = RowOf<typeof deployments>;

/**
 * A deployment as a label on a prompt version (Sigil's take on Langfuse's `production`/`latest`
 * labels): pinned to a version, or following the prompt's current one.
 */
export interface DeploymentLabel extends DeploymentRow {
  /** The version a run of this deployment uses now. */
  servedVersion: number;
  /** "pinned": a fixed version; "latest": whatever version is current. */
  tracking: "pinned" | "latest";
}
type DeploymentCreate = Parameters<IsolatedModel<typeof deployments>["create"]>[0];

export class DeploymentModel extends IsolatedModel<typeof deployments> {
  constructor() {
    super(deployments);
  }

  async findByName(name: string): Promise<DeploymentRow | null> {
    return this.findOne({ name });
  }

  /**
   * The deployments of a prompt, by name, each with the version it serves (read in one transaction
   * with the prompt's current version). Null if the prompt does not exist.
   */
  async forPrompt(promptId: string): Promise<{ currentVersion: number; deployments: DeploymentLabel[] } | null> {
    return this.session("deployments.forPrompt", "read", async ({ db, t }) => {
      const [prompt] = await db.select({ currentVersion: t.prompts.currentVersion }).from(t.prompts).where(eq(t.prompts.id, promptId));
      if (!prompt) return null;
      const rows = await db.select().from(t.deployments).where(eq(t.deployments.promptId, promptId)).orderBy(asc(t.deployments.name));
      return {
        currentVersion: prompt.currentVersion,
        deployments: rows.map((row): DeploymentLabel =>
          row.promptVersion === null
            ? { ...row, servedVersion: prompt.currentVersion, tracking: "latest" }
            : { ...row, servedVersion: row.promptVersion, tracking: "pinned" },
        ),
      };
    });
  }

  /**
   * Creates a deployment in one IMMEDIATE transaction that first checks its prompt (and pinned
   * version) still exists: serialized with PromptModel.deleteUnlessDeployed, so a prompt deleted
   * concurrently refuses the deployment with a ConflictError instead of a foreign-key failure,
   * and a deployment that was created is never cascade-deleted by a delete that had already
   * checked for deployments.
   */
  async createForPrompt(data: DeploymentCreate): Promise<DeploymentRow> {
    return this.session("deployments.createForPrompt", "write", async (s) => {
      const { db, t } = s;
      const [prompt] = await db.select({ id: t.prompts.id }).from(t.prompts).where(eq(t.prompts.id, data.promptId));
      if (!prompt) throw new ConflictError(`Prompt ${data.promptId} was deleted while the deployment was being created; nothing was saved.`);
      if (data.promptVersion !== null && data.promptVersion !== undefined) {
        const [version] = await db
          .select({ id: t.promptVersions.id })
          .from(t.promptVersions)
          .where(and(eq(t.promptVersions.promptId, data.promptId), eq(t.promptVersions.version, data.promptVersion)));
        if (!version) throw new ConflictError(`Version ${data.promptVersion} of prompt ${data.promptId} no longer exists; nothing was saved.`);
      }
      return this.insertRow(s, data);
    });
  }
}

export const deploymentModel = new DeploymentModel();
