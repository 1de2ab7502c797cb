import { and, asc, count, desc, eq, or, type SQL } from "drizzle-orm";
import { ConflictError, InvalidQueryError, NotFoundError, PromptInUseError } from "../errors.ts";
import type { Session } from "../engine/session.ts";
import { prompts, type promptVersions } from "../schema/tenant/prompts.ts";
import type { Page, RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { containsText } from "./text-search.ts";
import { rowLimit } from "../engine/dialect.ts";

export type PromptRow = RowOf<typeof prompts>;
export type PromptVersionRow = RowOf<typeof promptVersions>;
type PromptCreate = Omit<typeof prompts.$inferInsert, "id" | "createdAt" | "updatedAt" | "currentVersion">;

/** The fields whose change makes a new version. */
const CONTENT_FIELDS = ["name", "description", "template", "responseSchema", "inputSchema", "acceptsFiles"] as const;

function sameContent(a: PromptRow, b: PromptRow): boolean {
  return CONTENT_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]));
}

/**
 * Prompts live in the tenant's own file. Every content change (create, update, restore) writes a
 * prompt_versions row in the same transaction as the change, so history and current state can
 * never disagree, even under concurrent updates.
 */
export class PromptModel extends IsolatedModel<typeof prompts, PromptCreate> {
  constructor() {
    super(prompts);
  }

  /** Creates a prompt and its v1, noted `changeNote` (default "create"). */
  override async create(data: PromptCreate, changeNote?: string): Promise<PromptRow> {
    return this.session("prompts.create", "write", async (s) => {
      const row = await this.insertRow(s, data);
      await this.writeVersion(s, row, 1, changeNote ?? "create", row.createdBy);
      return row;
    });
  }

  /** A content change makes a new version, noted `changeNote` (default "update"). */
  override async update(id: string, patch: Partial<PromptCreate>, changeNote?: string): Promise<PromptRow | null> {
    return this.session("prompts.update", "write", (s) => this.updateVersioned(s, id, patch, changeNote ?? "update"));
  }

  async findByName(name: string): Promise<PromptRow | null> {
    return this.findOne({ name });
  }

  /** Case-insensitive search in name and description, newest change first. */
  async search(options: { query?: string; page?: number; pageSize?: number }): Promise<Page<PromptRow>> {
    const query = options.query?.trim();
    const where = query ? (t: typeof prompts): SQL | undefined => or(containsText(t.name, query), containsText(t.description, query)) : undefined;
    return this.findWithPagination({
      where,
      orderBy: { column: "updatedAt", direction: "desc" },
      page: options.page,
      pageSize: options.pageSize,
    });
  }

  async versions(promptId: string): Promise<PromptVersionRow[]> {
    return this.session("prompts.versions", "read", ({ db, t }) =>
      db.select().from(t.promptVersions).where(eq(t.promptVersions.promptId, promptId)).orderBy(desc(t.promptVersions.version)),
    );
  }

  async getVersion(promptId: string, version: number): Promise<PromptVersionRow | null> {
    return this.session("prompts.getVersion", "read", async (s) => (await versionOf(s, promptId, version)) ?? null);
  }

  /**
   * Makes an old version's content current again, as a new version noted "restore of vN" (with
   * the person's note after a colon: "restore of v2: rollback of the tone change").
   */
  async restoreVersion(promptId: string, version: number, restoredBy: string | null = null, changeNote?: string): Promise<PromptRow> {
    return this.session("prompts.restoreVersion", "write", async (s) => {
      const old = await versionOf(s, promptId, version);
      if (!old) throw new NotFoundError(`Prompt ${promptId} has no version ${version}.`);
      const note = changeNote ? `restore of v${version}: ${changeNote}` : `restore of v${version}`;
      const row = await this.updateVersioned(
        s,
        promptId,
        {
          name: old.name,
          description: old.description,
          template: old.template,
          responseSchema: old.responseSchema,
          inputSchema: old.inputSchema,
          acceptsFiles: old.acceptsFiles,
          updatedBy: restoredBy,
        },
        note,
      );
      if (!row) throw new NotFoundError(`Prompt ${promptId} does not exist.`);
      return row;
    });
  }

  /** What deleting a prompt would take with it (for the confirmation a UI shows). */
  async dependents(promptId: string): Promise<PromptDependents | null> {
    return this.session("prompts.dependents", "read", async (s) => {
      const prompt = await this.selectById(s, promptId);
      return prompt ? dependentsOf(s, prompt) : null;
    });
  }

  /**
   * Deletes a prompt with its versions and executions in one IMMEDIATE transaction, refused with
   * PromptInUseError while a deployment uses it. A deployment is created in its own IMMEDIATE
   * transaction that checks the prompt (DeploymentModel.createForPrompt), so the two serialize:
   * either the deployment exists first and the delete is refused, or the prompt is gone first and
   * the deployment is refused; a deployment a client was told exists is never cascade-deleted.
   * Returns what was deleted, or null if the prompt did not exist.
   */
  async deleteUnlessDeployed(promptId: string): Promise<PromptDependents | null> {
    return this.deleteChecked("prompts.deleteUnlessDeployed", promptId, (prompt, dependents) => {
      if (dependents.deployments > 0) {
        throw new PromptInUseError(prompt.name, dependents.deploymentNames, dependents.deployments > dependents.deploymentNames.length);
      }
    });
  }

  /**
   * Deletes a prompt together with its deployments (and versions, executions) in one IMMEDIATE
   * transaction. `confirmedDeploymentIds` are the deployments the person agreed to delete: if the
   * prompt's deployments are not exactly those (one was created or deleted since the confirmation),
   * nothing is deleted and a ConflictError says so. Null if the prompt did not exist.
   */
  async deleteWithDeployments(promptId: string, confirmedDeploymentIds: readonly string[]): Promise<PromptDependents | null> {
    return this.deleteChecked("prompts.deleteWithDeployments", promptId, (prompt, dependents) => {
      const confirmed = new Set(confirmedDeploymentIds);
      const current = dependents.deploymentList;
      if (current.length !== confirmed.size || current.some((deployment) => !confirmed.has(deployment.id))) {
        const names = current.length === 0 ? "none" : current.map((deployment) => `"${deployment.name}"`).join(", ");
        throw new ConflictError(
          `The deployments of prompt "${prompt.name}" changed since the confirmation (now: ${names}); nothing was deleted. Review and confirm again.`,
        );
      }
    });
  }

  /**
   * The one delete of a prompt: in one IMMEDIATE transaction, `check` sees the prompt and what goes
   * with it and throws to refuse; then its deployments (none, unless the check allowed them) and the
   * prompt (cascading to versions and executions) are deleted. Null if the prompt did not exist.
   */
  private async deleteChecked(
    operation: string,
    promptId: string,
    check: (prompt: PromptRow, dependents: PromptDependents) => void,
  ): Promise<PromptDependents | null> {
    return this.session(operation, "write", async (s) => {
      const prompt = await this.selectById(s, promptId);
      if (!prompt) return null;
      const dependents = await dependentsOf(s, prompt);
      check(prompt, dependents);
      await s.db.delete(s.t.deployments).where(eq(s.t.deployments.promptId, promptId));
      await s.db.delete(s.t.prompts).where(eq(s.t.prompts.id, promptId));
      return dependents;
    });
  }

  protected override assertCallerFields(fields: object, use: "write" | "filter"): void {
    if (use === "write" && Object.prototype.hasOwnProperty.call(fields, "currentVersion")) {
      throw new InvalidQueryError("prompts: currentVersion is advanced by Sigil on every content change.");
    }
  }

  /** The update, and a new version when the content changed (in the same session). */
  private async updateVersioned(s: Session, id: string, patch: Partial<PromptCreate>, changeNote: string): Promise<PromptRow | null> {
    const before = await this.selectById(s, id);
    const after = await this.updateRow(s, id, patch);
    if (!before || !after || sameContent(before, after)) return after;
    const next = before.currentVersion + 1;
    await s.db.update(s.t.prompts).set({ currentVersion: next }).where(eq(s.t.prompts.id, after.id));
    after.currentVersion = next;
    await this.writeVersion(s, after, next, changeNote, after.updatedBy);
    return after;
  }

  private async writeVersion(s: Session, row: PromptRow, version: number, changeNote: string, author: string | null): Promise<void> {
    await s.db.insert(s.t.promptVersions).values({
      id: crypto.randomUUID(),
      promptId: row.id,
      version,
      name: row.name,
      description: row.description,
      template: row.template,
      responseSchema: row.responseSchema,
      inputSchema: row.inputSchema,
      acceptsFiles: row.acceptsFiles,
      createdBy: author,
      changeNote,
      createdAt: new Date(),
    });
  }
}

export const promptModel = new PromptModel();

/** What goes with a prompt when it is deleted; deployments block the deletion. */
export interface PromptDependents {
  prompt: PromptRow;
  versions: number;
  executions: number;
  deployments: number;
  /** The first DEPENDENT_NAMES deployments by name. */
  deploymentNames: string[];
  /** Every deployment of the prompt, by name. */
  deploymentList: { id: string; name: string }[];
}

const DEPENDENT_NAMES = 5;

function versionOf(s: Session, promptId: string, version: number): Promise<PromptVersionRow | undefined> {
  const { promptVersions } = s.t;
  return s.db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)))
    .limit(rowLimit(1))
    .then((rows) => rows[0]);
}

async function dependentsOf(s: Session, prompt: PromptRow): Promise<PromptDependents> {
  const { db, t } = s;
  const countOf = async (table: typeof t.promptVersions | typeof t.executions) =>
    (await db.select({ n: count() }).from(table).where(eq(table.promptId, prompt.id)))[0]?.n ?? 0;
  const deploymentList = await db
    .select({ id: t.deployments.id, name: t.deployments.name })
    .from(t.deployments)
    .where(eq(t.deployments.promptId, prompt.id))
    .orderBy(asc(t.deployments.name));
  return {
    prompt,
    versions: await countOf(t.promptVersions),
    executions: await countOf(t.executions),
    deployments: deploymentList.length,
    deploymentNames: deploymentList.slice(0, DEPENDENT_NAMES).map((row) => row.name),
    deploymentList,
  };
}
