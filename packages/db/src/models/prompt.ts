import { and, desc, eq, or, type SQL } from "drizzle-orm";
import { InvalidQueryError, NotFoundError } from "../errors.ts";
import { prompts, promptVersions } from "../schema/tenant/prompts.ts";
import type { Page, RowOf, SyncDatabase } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { containsText } from "./text-search.ts";

export type PromptRow = RowOf<typeof prompts>;
export type PromptVersionRow = RowOf<typeof promptVersions>;
type PromptCreate = Omit<typeof prompts.$inferInsert, "id" | "createdAt" | "updatedAt" | "currentVersion">;

/** The fields whose change makes a new version. */
const CONTENT_FIELDS = ["name", "description", "template", "responseSchema", "acceptsFiles"] as const;

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
    return this.withDatabase("prompts.getVersion", (db) =>
      db
        .select()
        .from(promptVersions)
        .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)))
        .get() ?? null,
    );
  }

  /** Makes an old version's content current again, as a new version noted "restore of vN". */
  async restoreVersion(promptId: string, version: number, restoredBy: string | null = null): Promise<PromptRow> {
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
          acceptsFiles: old.acceptsFiles,
          updatedBy: restoredBy,
        });
        if (!row || !before) throw new NotFoundError(`Prompt ${promptId} does not exist.`);
        if (row.currentVersion !== before.currentVersion) {
          tx.update(promptVersions)
            .set({ changeNote: `restore of v${version}` })
            .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, row.currentVersion)))
            .run();
        }
        return row;
      }),
    );
  }

  protected override assertCallerFields(fields: object, use: "write" | "filter"): void {
    if (use === "write" && Object.prototype.hasOwnProperty.call(fields, "currentVersion")) {
      throw new InvalidQueryError("prompts: currentVersion is advanced by Sigil on every content change.");
    }
  }

  protected override afterCreate(tx: SyncDatabase, row: PromptRow): void {
    this.writeVersion(tx, row, 1, "create", row.createdBy);
  }

  protected override afterUpdate(tx: SyncDatabase, before: PromptRow, after: PromptRow): void {
    if (sameContent(before, after)) return;
    const next = before.currentVersion + 1;
    tx.update(prompts).set({ currentVersion: next }).where(eq(prompts.id, after.id)).run();
    after.currentVersion = next;
    this.writeVersion(tx, after, next, "update", after.updatedBy);
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
        acceptsFiles: row.acceptsFiles,
        createdBy: author,
        changeNote,
        createdAt: new Date(),
      })
      .run();
  }
}

export const promptModel = new PromptModel();
