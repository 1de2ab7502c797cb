import { handleBaselineRequest } from "@sigil/api/http";

/** The HTTP benchmark's baseline (see packages/api/src/http/baseline.ts); 404 unless enabled. */
export const GET = handleBaselineRequest;
export const dynamic = "force-dynamic";
