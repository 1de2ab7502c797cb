import type { Metadata } from "next";
import { FILES_PAGE_SIZE } from "@/components/files/constants";
import { FilesView } from "@/components/files/files-view";
import { pageFromSearchParam } from "@/components/ui/pagination";
import { FeatureNotEnabled } from "@/components/workspace/feature-not-enabled";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Files" };

export default async function FilesPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  const page = pageFromSearchParam((await searchParams).page);
  const session = await loadWorkspaceSession();
  if (session.status !== "signed-in") return null;
  if (!session.me.tenant.features.includes("files")) return <FeatureNotEnabled feature="files" />;
  await Promise.all([prefetch(trpc.files.list.queryOptions({ page, pageSize: FILES_PAGE_SIZE })), prefetch(trpc.files.usage.queryOptions())]);
  return (
    <HydrateClient>
      <FilesView page={page} />
    </HydrateClient>
  );
}
