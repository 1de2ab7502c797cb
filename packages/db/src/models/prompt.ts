import { and, asc, count, desc, eq, or, type SQL } from "drizzle-orm";
import { ConflictError, InvalidQueryError, NotFoundError, PromptInUseError } from "../errors.ts";
import { deployments } from "../schema/tenant/deployments.ts";
import { executions } from "../schema/tenant/executions.ts";
import { prompts, promptVersions } from "../schema/tenant/prompts.ts";
import type { Page, RowOf, SyncDatabase } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { containsText } from "./text-search.ts";

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
  /**
   * The change note of the version the running create/update writes. Set and cleared around a
   * synchronous transaction (better-sqlite3), so no other call can observe it.
   */
  private pendingChangeNote: string | undefined;

  constructor() {
    super(prompts);
  }

  /** Creates a prompt and its v1, noted `changeNote` (default "create"). */
  override async create(data: PromptCreate, changeNote?: string): Promise<PromptRow> {
    this.pendingChangeNote = changeNote;
    try {
      return this.createSync(data);
    } finally {
      this.pendingChangeNote = undefined;
    }
  }

  /** A content change makes a new version, noted `changeNote` (default "update"). */
  override async update(id: string, patch: Partial<PromptCreate>, changeNote?: string): Promise<PromptRow | null> {
    this.pendingChangeNote = changeNote;
    try {
      return this.updateSync(id, patch);
    } finally {
      this.pendingChangeNote = undefined;
    }
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
    return this.withDatabase("prompts.versions", (db) =>
      db.select().from(promptVersions).where(eq(promptVersions.promptId, promptId)).orderBy(desc(promptVersions.version)).all(),
    );
  }

  async getVersion(promptId: string, version: number): Promise<PromptVersionRow | null> {
    return this.withDatabase(
      "prompts.getVersion",
      (db) =>
        db
          .select()
          .from(promptVersions)
          .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)))
          .get() ?? null,
    );
  }

  /**
   * Makes an old version's content current again, as a new version noted "restore of vN" (with
   * the person's note after a colon: "restore of v2: rollback of the tone change").
   */
  async restoreVersion(promptId: string, version: number, restoredBy: string | null = null, changeNote?: string): Promise<PromptRow> {
    return this.withDatabase("prompts.restoreVersion", (db) =>
      this.transaction(db, (tx) => {
        const old = tx
          .select()
          .from(promptVersions)
          .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)))
          .get();
        if (!old) throw new NotFoundError(`Prompt ${promptId} has no version ${version}.`);
        const before = this.selectById(tx, promptId);
        const row = this.updateSync(promptId, {
          name: old.name,
          description: old.description,
          template: old.template,
          responseSchema: old.responseSchema,
          inputSchema: old.inputSchema,
          acceptsFiles: old.acceptsFiles,
          updatedBy: restoredBy,
        });
        if (!row || !before) throw new NotFoundError(`Prompt ${promptId} does not exist.`);
        if (row.currentVersion !== before.currentVersion) {
          tx.update(promptVersions)
            .set({ changeNote: changeNote ? `restore of v${version}: ${changeNote}` : `restore of v${version}` })
            .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, row.currentVersion)))
            .run();
        }
        return row;
      }),
    );
  }

  /** What deleting a prompt would take with it (for the confirmation a UI shows). */
  async dependents(promptId: string): Promise<PromptDependents | null> {
    return this.withDatabase("prompts.dependents", (db) =>
      this.transaction(db, (tx) => {
        const prompt = this.selectById(tx, promptId);
        return prompt ? dependentsOf(tx, prompt) : null;
      }),
    );
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
    return this.withDatabase(operation, (db) =>
      this.transaction(
        db,
        (tx) => {
          const prompt = this.selectById(tx, promptId);
          if (!prompt) return null;
          const dependents = dependentsOf(tx, prompt);
          check(prompt, dependents);
          tx.delete(deployments).where(eq(deployments.promptId, promptId)).run();
          tx.delete(prompts).where(eq(prompts.id, promptId)).run();
          return dependents;
        },
        "immediate",
      ),
    );
  }

  protected override assertCallerFields(fields: object, use: "write" | "filter"): void {
    if (use === "write" && Object.prototype.hasOwnProperty.call(fields, "currentVersion")) {
      throw new InvalidQueryError("prompts: currentVersion is advanced by Sigil on every content change.");
    }
  }

  protected override afterCreate(tx: SyncDatabase, row: PromptRow): void {
    this.writeVersion(tx, row, 1, this.pendingChangeNote ?? "create", row.createdBy);
  }

  protected override afterUpdate(tx: SyncDatabase, before: PromptRow, after: PromptRow): void {
    if (sameContent(before, after)) return;
    const next = before.currentVersion + 1;
    tx.update(prompts).set({ currentVersion: next }).where(eq(prompts.id, after.id)).run();
    after.currentVersion = next;
    this.writeVersion(tx, after, next, this.pendingChangeNote ?? "update", after.updatedBy);
  }

  private writeVersion(tx: SyncDatabase, row: PromptRow, version: number, changeNote: string, author: string | null): void {
    tx.insert(promptVersions)
      .values({
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
      })
      .run();
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

function dependentsOf(tx: SyncDatabase, prompt: PromptRow): PromptDependents {
  const countOf = (table: typeof promptVersions | typeof executions) =>
    tx.select({ n: count() }).from(table).where(eq(table.promptId, prompt.id)).get()?.n ?? 0;
  const deploymentList = tx
    .select({ id: deployments.id, name: deployments.name })
    .from(deployments)
    .where(eq(deployments.promptId, prompt.id))
    .orderBy(asc(deployments.name))
    .all();
  return {
    prompt,
    versions: countOf(promptVersions),
    executions: countOf(executions),
    deployments: deploymentList.length,
    deploymentNames: deploymentList.slice(0, DEPENDENT_NAMES).map((row) => row.name),
    deploymentList,
  };
}
