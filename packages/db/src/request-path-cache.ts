import { eq } from "drizzle-orm";
import type { Session } from "./engine/session.ts";
import { sqliteConnectionOf } from "./engine/sqlite-store.ts";
import { inSharedSession } from "./models/guard-statements.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { findApiKeyForAuthentication } from "./models/authentication-lookups.ts";
import type { ApiKeyRow } from "./models/api-key.ts";
import { tenantModel, type TenantRow } from "./models/tenant.ts";
import type { UserRow } from "./models/user.ts";

/**
 * The reads every API request makes before its procedure runs (the tenant in the registry, the
 * API key and its owner), cached per process and per shared.sqlite connection (per manager on
 * PostgreSQL).
 *
 * Staleness is impossible rather than bounded: each lookup first reads `cache_generation` (one
 * prepared statement on a page that is always in memory, schema/shared/control-plane.ts), which
 * triggers move in the same transaction as any change to a tenant, a user, or what decides an API
 * key's validity (shared migration 0005), whichever process or tool makes it. A moved counter
 * drops every entry. Misses are not cached (a probe of unknown slugs cannot fill memory), and at
 * most MAX_ENTRIES entries per kind are kept.
 */
const MAX_ENTRIES = 10_000;

export type TenantLookupKind = "slug" | "id" | "domain";
export interface ApiKeyWithOwner {
  apiKey: ApiKeyRow;
  user: UserRow;
}

interface CacheState {
  readGeneration: (session: Session) => number | Promise<number>;
  generation: number;
  tenants: Map<string, TenantRow>;
  apiKeys: Map<string, ApiKeyWithOwner>;
}

/** Per shared.sqlite connection on SQLite; per manager on PostgreSQL (one database, one cache). */
const states = new WeakMap<object, CacheState>();

function stateFor(session: Session): CacheState {
  const key = session.engine === "sqlite" ? sqliteConnectionOf(session) : HybridDatabaseManager.getInstance();
  let state = states.get(key);
  if (!state) {
    state = { readGeneration: generationReader(session), generation: Number.NaN, tenants: new Map(), apiKeys: new Map() };
    states.set(key, state);
  }
  return state;
}

/** No row (a database migrated by hand to an older schema): NaN, and every lookup is a miss. */
function generationReader(session: Session): CacheState["readGeneration"] {
  if (session.engine === "postgres") {
    return async ({ db, t }) =>
      (await db.select({ value: t.cacheGeneration.value }).from(t.cacheGeneration).where(eq(t.cacheGeneration.id, 1)))[0]?.value ?? Number.NaN;
  }
  const statement = sqliteConnectionOf(session).prepare<[], [number]>("SELECT value FROM cache_generation WHERE id = 1");
  // raw() on each read: the statement cache hands the same statement to anyone preparing this
  // text, in the default mode (statement-cache.ts).
  return () => statement.raw().get()?.[0] ?? Number.NaN;
}

/** The state of the current connection, emptied first if the generation moved. */
async function freshState(session: Session): Promise<CacheState> {
  const state = stateFor(session);
  const generation = await state.readGeneration(session);
  if (generation !== state.generation || Number.isNaN(generation)) {
    state.tenants.clear();
    state.apiKeys.clear();
    state.generation = generation;
  }
  return state;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}

async function tenantIn(state: CacheState, kind: TenantLookupKind, value: string): Promise<TenantRow | null> {
  const key = `${kind}:${kind === "domain" ? value.toLowerCase() : value}`;
  const cached = state.tenants.get(key);
  if (cached) return cached;
  const found =
    kind === "slug" ? await tenantModel.findBySlug(value) : kind === "id" ? await tenantModel.findById(value) : await tenantModel.findByDomain(value);
  if (found) remember(state.tenants, key, found);
  return found;
}

async function apiKeyIn(state: CacheState, keyId: string): Promise<ApiKeyWithOwner | null> {
  const cached = state.apiKeys.get(keyId);
  if (cached) return cached;
  const found = await findApiKeyForAuthentication(keyId);
  if (found) remember(state.apiKeys, keyId, found);
  return found;
}

/** A tenant by slug, id or custom domain (lower-cased), as `tenantModel.findBy…` would read it now. */
export async function lookupTenant(kind: TenantLookupKind, value: string): Promise<TenantRow | null> {
  return tenantIn(await inSharedSession("read", freshState), kind, value);
}

/** An API key by its public id with its owner, as `findApiKeyForAuthentication` would read it now. */
export async function lookupApiKey(keyId: string): Promise<ApiKeyWithOwner | null> {
  return apiKeyIn(await inSharedSession("read", freshState), keyId);
}

/**
 * The lookups of one request (its tenant, then its API key), answered as of the request's first
 * lookup: the generation is read once, not once per lookup. A change committed after that first
 * read is seen by the next request, as if it had been committed a moment later; entries cached by
 * other requests in between were read from the database after the last change they saw, so they
 * are never older than what this request started with.
 */
export class RequestPathLookups {
  private state: CacheState | undefined;

  async tenant(kind: TenantLookupKind, value: string): Promise<TenantRow | null> {
    return tenantIn(await this.current(), kind, value);
  }

  async apiKey(keyId: string): Promise<ApiKeyWithOwner | null> {
    return apiKeyIn(await this.current(), keyId);
  }

  private async current(): Promise<CacheState> {
    this.state ??= await inSharedSession("read", freshState);
    return this.state;
  }
}
