import type { Metadata } from "next";
import Link from "next/link";
import { firstParam } from "@/components/prompts/list-params";
import { START_DEPLOYMENTS_INPUT, START_PROMPTS_INPUT, StartExecutionForm, type StartExecutionDefaults } from "@/components/executions/start-execution-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Start execution" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function idParam(value: string | string[] | undefined): string | null {
  const text = firstParam(value);
  return text !== undefined && UUID.test(text) ? text.toLowerCase() : null;
}

/** `/executions/new?prompt=<id>&version=2`, `?deployment=<id>`, `&from=<execution id>` (its input fills the form). */
export default async function StartExecutionPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const query = await searchParams;
  const session = await loadWorkspaceSession();
  const back = (
    <div className="mb-2">
      <Link href={await serverWorkspaceHref(slug, "/executions")} className="text-sm font-medium text-gray-600 hover:text-gray-900">
        ← Executions
      </Link>
    </div>
  );
  if (session.status !== "signed-in") return null;
  if (session.me.user.role === "viewer") {
    return (
      <>
        {back}
        <PageHeader title="Start execution" />
        <Alert tone="warning" title="Viewers cannot start executions">
          Your role in this workspace is read-only. Ask an admin to make you a member.
        </Alert>
      </>
    );
  }
  const versionText = firstParam(query.version);
  const defaults: StartExecutionDefaults = {
    promptId: idParam(query.prompt),
    version: versionText !== undefined && /^\d{1,6}$/.test(versionText) && Number(versionText) >= 1 ? Number(versionText) : null,
    deploymentId: idParam(query.deployment),
    fromExecutionId: idParam(query.from),
  };
  await Promise.all([
    prefetch(trpc.prompts.list.queryOptions(START_PROMPTS_INPUT)),
    session.me.tenant.features.includes("deployments") ? prefetch(trpc.deployments.list.queryOptions(START_DEPLOYMENTS_INPUT)) : null,
    defaults.fromExecutionId ? prefetch(trpc.executions.get.queryOptions({ id: defaults.fromExecutionId })) : null,
    defaults.promptId ? prefetch(trpc.prompts.get.queryOptions({ id: defaults.promptId })) : null,
  ]);
  return (
    <HydrateClient>
      {back}
      <PageHeader title="Start execution" description="Run a prompt or a deployment with input values. You follow the execution live on its page." />
      <StartExecutionForm defaults={defaults} />
    </HydrateClient>
  );
}
