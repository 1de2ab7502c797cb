import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PromptDetail } from "@/components/prompts/prompt-detail";
import { trpcErrorCode } from "@/lib/trpc-errors";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";

type Params = Promise<{ slug: string; id: string }>;

/** The prompt, or null when this workspace has no such prompt (unknown, malformed or another tenant's id). */
async function loadPrompt(id: string) {
  try {
    return await getQueryClient().fetchQuery(trpc.prompts.get.queryOptions({ id }));
  } catch (error) {
    const code = trpcErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") return null;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const prompt = await loadPrompt((await params).id);
  return { title: prompt ? prompt.name : "Prompt not found" };
}

export default async function PromptPage({ params }: { params: Params }) {
  const { id } = await params;
  const prompt = await loadPrompt(id);
  if (!prompt) notFound();
  // The Versions tab opens without a spinner.
  await prefetch(trpc.prompts.versions.queryOptions({ id }));
  return (
    <HydrateClient>
      <PromptDetail id={id} />
    </HydrateClient>
  );
}
