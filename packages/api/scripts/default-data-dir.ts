import { resolve } from "node:path";

// Like packages/db/scripts/default-data-dir.ts: the installation's data lives with the web app
// (docs/architecture.md: Files and naming; DATA_DIR defaults to the web app's ./data). An explicit DATA_DIR wins.
if (!process.env.DATA_DIR) process.env.DATA_DIR = resolve(import.meta.dirname, "../../../apps/web/data");
