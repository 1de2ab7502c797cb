import { expect, test } from "@playwright/test";
import { send } from "./support";

// The HTTP benchmark's baselines (docs/benchmarks.md) call the API without the tenancy layer or
// through a Next route handler. A production server must not serve them: only a server started
// with SIGIL_BENCH_BASELINE=1 by `pnpm bench http` does.
for (const path of ["/api/bench-baseline/promptsList", "/api/bench-next-route/trpc/prompts.list"]) {
  test(`${path} is a 404 on a server started without SIGIL_BENCH_BASELINE`, async () => {
    const answer = await send({ path, headers: { "x-tenant-id": "acme", authorization: "Bearer sgl_0000000000000000_x" } });
    expect(answer.status).toBe(404);
  });
}
