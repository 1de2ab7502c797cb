import type { Metadata } from "next";
import { promptListInput } from "@/components/prompts/list-params";
import { PromptList } from "@/components/prompts/prompt-list";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Prompts" };

export default async function PromptsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // The first page is in the HTML; the browser reads it under the same key (same input).
  await prefetch(trpc.prompts.list.queryOptions(promptListInput({ q: params.q, page: params.page })));
  return (
    <HydrateClient>
      <PromptList />
    </HydrateClient>
  );
}
