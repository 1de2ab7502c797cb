import type { Metadata } from "next";
import { CompareView } from "@/components/datasets/compare-view";

export const metadata: Metadata = { title: "Compare runs" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function ComparePage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  return (
    <CompareView leftId={one(params.left)} rightId={one(params.right)} leftTarget={Number(one(params.lt) || 0)} rightTarget={Number(one(params.rt) || 0)} />
  );
}
