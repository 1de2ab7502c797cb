/**
 * `pnpm --filter @sigil/db hypersigil:fixture <path> [--prompts N] [--file-bytes N] [--no-corrupt-row]`:
 * writes a database in hypersigil's format (src/hypersigil/fixture.ts) to try
 * `sigil import-hypersigil` on, and prints what is in it (passwords, the key, the traps).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeHypersigilFixture } from "../src/hypersigil/fixture.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { prompts: { type: "string" }, "file-bytes": { type: "string" }, "no-corrupt-row": { type: "boolean" } },
});
const whole = (flag: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    console.error(`${flag} must be a whole number ≥ 1; got "${raw}".`);
    process.exit(2);
  }
  return Number(raw);
};
const [target] = positionals;
if (target === undefined || positionals.length > 1) {
  console.error("Usage: hypersigil:fixture <path of the new database> [--prompts N] [--file-bytes N] [--no-corrupt-row]");
  process.exit(2);
}
// pnpm runs the script in packages/db; the path is relative to where it was typed.
const path = resolve(process.env.INIT_CWD ?? process.cwd(), target);
const fixture = writeHypersigilFixture(path, {
  prompts: whole("--prompts", values.prompts),
  fileBytes: whole("--file-bytes", values["file-bytes"]),
  corruptRow: values["no-corrupt-row"] !== true,
});
console.log(`Wrote a hypersigil database to ${fixture.path}:`);
console.log(
  `  rows: ${Object.entries(fixture.counts)
    .map(([table, count]) => `${table} ${count}`)
    .join(", ")}`,
);
console.log(`  provider keys encrypted under ENCRYPTION_KEY ${fixture.encryptionKey} (hypersigil's default); the anthropic key under another key`);
for (const [email, password] of Object.entries(fixture.passwords)) console.log(`  user ${email}, password ${password}`);
if (fixture.corruptRow) console.log(`  a corrupt row: ${fixture.corruptRow.table} ${fixture.corruptRow.id}`);
if (fixture.danglingDeploymentId) console.log(`  ${fixture.danglingExecutionIds.length} executions and 1 deployment of a deleted prompt`);
