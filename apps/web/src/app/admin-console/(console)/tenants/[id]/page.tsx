import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { TenantDetail } from "@/components/admin/tenant-detail";
import { siteUrls } from "@/lib/server/site-url";
import { trpcErrorCode } from "@/lib/trpc-errors";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

type Params = { params: Promise<{ id: string }> };

const tenantId = z.uuid();

async function loadTenant(id: string) {
  if (!tenantId.safeParse(id).success) notFound();
  try {
    return await getQueryClient().fetchQuery(trpc.tenants.getById.queryOptions({ id }));
  } catch (error) {
    if (trpcErrorCode(error) === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const tenant = await loadTenant((await params).id);
  return { title: tenant.name };
}

export default async function AdminTenantPage({ params }: Params) {
  const { id } = await params;
  await loadTenant(id);
  const urls = await siteUrls();
  return (
    <HydrateClient>
      <TenantDetail id={id} workspaceUrlPattern={urls.workspace("{slug}")} />
    </HydrateClient>
  );
}
