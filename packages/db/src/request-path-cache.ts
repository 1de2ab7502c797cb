import type { SharedDatabase } from "./connection.ts";
import { inSharedSession } from "./models/guard-statements.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { findApiKeyForAuthentication } from "./models/authentication-lookups.ts";
import type { ApiKeyRow } from "./models/api-key.ts";
import { tenantModel, type TenantRow } from "./models/tenant.ts";
import type { UserRow } from "./models/user.ts";
import type { SqliteConnection } from "./sqlite-file.ts";

/**
 * The reads every API request makes before its procedure runs (the tenant in the registry, the
 * API key and its owner), cached per process and per shared.sqlite connection.
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
  readGeneration: () => number;
  generation: number;
  tenants: Map<string, TenantRow>;
  apiKeys: Map<string, ApiKeyWithOwner>;
}

const states = new WeakMap<SqliteConnection, CacheState>();

function stateFor(db: SharedDatabase): CacheState {
  let state = states.get(db.$client);
  if (!state) {
    const statement = db.$client.prepare<[], [number]>("SELECT value FROM cache_generation WHERE id = 1");
    // raw() on each read: the statement cache hands the same statement to anyone preparing this
    // text, in the default mode (statement-cache.ts). No row (a database migrated by hand to an
    // older schema): every lookup is a miss.
    const readGeneration = () => statement.raw().get()?.[0] ?? Number.NaN;
    state = { readGeneration, generation: Number.NaN, tenants: new Map(), apiKeys: new Map() };
    states.set(db.$client, state);
  }
  return state;
}

/** The state of the current connection, emptied first if the generation moved. */
function freshState(): CacheState {
  const state = stateFor(HybridDatabaseManager.getInstance().getSharedDatabase());
  const generation = state.readGeneration();
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
