import type { AppRouter } from "@sigil/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type { AppRouter };
/** Inputs and outputs of every procedure, e.g. `RouterOutputs["prompts"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
