import type { Metadata } from "next";
import { BatchRunView } from "@/components/datasets/batch-run-view";

export const metadata: Metadata = { title: "Batch run" };

export default async function BatchRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BatchRunView id={id} />;
}
