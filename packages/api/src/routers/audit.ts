import { router } from "../trpc.ts";

// Being written (issue 3).
export const auditRouter = router({});
