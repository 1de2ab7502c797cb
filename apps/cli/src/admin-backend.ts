import {
  apiConfig,
  createTenantWithOwner,
  deleteTenant,
  enterMaintenance,
  leaveMaintenance,
  reactivateTenant,
  suspendTenant,
  toTenantWithUsage,
} from "@sigil/api";
import type { RouterInputs, RouterOutputs, SigilClient } from "@sigil/client";
import { listTenantsWithUsage, schemaStatusPage, tenantUsageOf, toTenantDocument } from "@sigil/db";
import type { CreateTenantInput, ListTenantsInput } from "@sigil/validators";
import { openInstallation, requireTenant as requireLocalTenant } from "./installation.ts";
import { operator } from "./operator.ts";
import { CliError } from "./errors.ts";

type Outputs = RouterOutputs["tenants"];
export type TenantPage = Outputs["list"];
export type TenantWithUsage = Outputs["getById"];
export type CreatedTenant = Outputs["create"];
export type TenantDocument = Outputs["suspend"];
export type TenantDeletion = Outputs["delete"];
export type SchemaStatus = RouterOutputs["admin"]["migrationStatus"];

/**
 * What the CLI's administration commands do, in one shape for both modes: local (the files of
 * DATA_DIR, through the same services the API runs) and remote (the API of a running server as a
 * system administrator, through @sigil/client). The commands print the same output either way.
 */
export interface AdminBackend {
  listTenants(input: ListTenantsInput): Promise<TenantPage>;
  /** A workspace by slug with its usage; a missing one fails the command. */
  requireTenant(slug: string): Promise<TenantWithUsage>;
  createTenant(input: CreateTenantInput): Promise<CreatedTenant>;
  suspendTenant(id: string): Promise<TenantDocument>;
  reactivateTenant(id: string): Promise<TenantDocument>;
  deleteTenant(id: string, confirmSlug: string): Promise<TenantDeletion>;
  enterMaintenance(id: string, request: { reason: string; until: Date | null }): Promise<TenantDocument>;
  leaveMaintenance(id: string): Promise<TenantDocument>;
  schemaStatus(input: RouterInputs["admin"]["migrationStatus"] & object): Promise<SchemaStatus>;
  /** The version of shared.sqlite against the latest, where the backend can read it. */
  sharedSchema(): Promise<{ version: number; latest: number } | null>;
  /** Where a workspace answers: `http://<slug>.<root domain>`, with the port when the backend knows it. */
  tenantUrl(slug: string): string;
  /** False for local files: the CLI cannot know which port the server listens on. */
  knowsPort: boolean;
}

export function localBackend(): AdminBackend {
  return {
    listTenants: async (input) => {
      openInstallation();
      const page = await listTenantsWithUsage(input);
      return { ...page, tenants: page.tenants.map(({ tenant, usage }) => toTenantWithUsage(tenant, usage)) };
    },
    requireTenant: async (slug) => {
      const tenant = await requireLocalTenant(slug);
      const usage = await tenantUsageOf(tenant.id);
      if (!usage) throw new CliError(`No workspace "${slug}" exists.`);
      return toTenantWithUsage(tenant, usage);
    },
    createTenant: (input) => {
      openInstallation();
      return createTenantWithOwner(operator(), apiConfig(), input);
    },
    suspendTenant: (id) => suspendTenant(operator(), id).then(toTenantDocument),
    reactivateTenant: (id) => reactivateTenant(operator(), id).then(toTenantDocument),
    deleteTenant: (id, confirmSlug) => deleteTenant(operator(), id, confirmSlug),
    enterMaintenance: (id, request) => enterMaintenance(operator(), id, request).then(toTenantDocument),
    leaveMaintenance: (id) => leaveMaintenance(operator(), id).then(toTenantDocument),
    schemaStatus: (input) => {
      openInstallation();
      return schemaStatusPage(input);
    },
    sharedSchema: () => openInstallation().sharedSchemaStatus(),
    tenantUrl: (slug) => `http://${slug}.${apiConfig().rootDomain}`,
    knowsPort: false,
  };
}

/** The API of a running installation, as the system administrator whose `sgla_` key is given. */
export function remoteBackend(client: SigilClient, adminUrl: URL): AdminBackend {
  const rootHost = adminUrl.host.replace(/^admin\./, "");
  const protocol = adminUrl.protocol;
  return {
    listTenants: (input) => client.tenants.list.query(input),
    requireTenant: async (slug) => {
      // The API finds workspaces by id; by slug through the search, page by page until the exact one.
      for (let page = 1; ; page += 1) {
        const found = await client.tenants.list.query({ search: slug, sort: "slug", direction: "asc", page, pageSize: 100 });
        const tenant = found.tenants.find((candidate) => candidate.slug === slug);
        if (tenant) return tenant;
        if (page >= found.totalPages) throw new CliError(`No workspace "${slug}" exists.`);
      }
    },
    createTenant: (input) => client.tenants.create.mutate(input),
    suspendTenant: (id) => client.tenants.suspend.mutate({ id }),
    reactivateTenant: (id) => client.tenants.reactivate.mutate({ id }),
    deleteTenant: (id, confirmSlug) => client.tenants.delete.mutate({ id, confirmSlug }),
    enterMaintenance: (id, { reason, until }) => client.tenants.enterMaintenance.mutate({ id, reason, until }),
    leaveMaintenance: (id) => client.tenants.leaveMaintenance.mutate({ id }),
    schemaStatus: (input) => client.admin.migrationStatus.query(input),
    sharedSchema: () => Promise.resolve(null),
    tenantUrl: (slug) => `${protocol}//${slug}.${rootHost}`,
    knowsPort: true,
  };
}
