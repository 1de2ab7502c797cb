// Worker threads do not inherit tsx's loader on Node 20 (an --import in execArgv does not apply
// its hooks to the worker's entry), so this plain-JS entry registers tsx and then loads the
// TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./migration-worker.ts");
