import type { BenchOptions } from "./types.ts";

export interface BenchArguments {
  suites: string[];
  options: BenchOptions;
  /** `--write-docs`: also rewrite this run's sections of docs/benchmarks.md. */
  writeDocs: boolean;
}

function valueAfter(args: readonly string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
  return value;
}

/**
 * `pnpm bench [suite…] [--tenants N] [--list-input JSON] [--against GIT-REF] [--hypersigil DIR] [--postgres] [--write-docs]`. No suite names: the
 * default suites (every suite not marked on-demand in bench/run.ts).
 */
export function parseBenchArguments(args: readonly string[], known: readonly string[], defaults: readonly string[]): BenchArguments {
  const suites: string[] = [];
  const options: BenchOptions = {};
  let writeDocs = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--write-docs") writeDocs = true;
    else if (arg === "--tenants") {
      const raw = valueAfter(args, index, arg);
      const tenants = Number(raw);
      if (!Number.isInteger(tenants) || tenants < 2) throw new Error(`--tenants must be a whole number ≥ 2 (got "${raw}")`);
      options.tenants = tenants;
      index += 1;
    } else if (arg === "--list-input") {
      const raw = valueAfter(args, index, arg);
      try {
        options.listInput = JSON.parse(raw) as unknown;
      } catch {
        throw new Error(`--list-input must be JSON, e.g. '{"limit":50}' (got ${raw})`);
      }
      index += 1;
    } else if (arg === "--against") {
      options.against = valueAfter(args, index, arg);
      index += 1;
    } else if (arg === "--postgres") {
      options.postgres = true;
    } else if (arg === "--hypersigil") {
      options.hypersigil = valueAfter(args, index, arg);
      index += 1;
    } else if (arg.startsWith("--"))
      throw new Error(`Unknown option ${arg}. Options: --tenants N, --list-input JSON, --against GIT-REF, --hypersigil DIR, --postgres, --write-docs.`);
    else suites.push(arg);
  }
  const unknown = suites.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`Unknown bench suite(s): ${unknown.join(", ")}. Known: ${known.join(", ")}.`);
  return { suites: suites.length > 0 ? suites : [...defaults], options, writeDocs };
}

/** The command that reproduces this run, with the environment variables the suites read. */
export function commandLine(args: readonly string[]): string {
  const environment = ["BENCH_TENANTS", "BENCH_PG_SCHEMAS", "BENCH_QUERY_ROWS", "SQLITE_SYNCHRONOUS"]
    .filter((name) => process.env[name] !== undefined && process.env[name] !== "")
    .map((name) => `${name}=${process.env[name] ?? ""} `)
    .join("");
  const quoted = args.map((arg) => (/^[\w.,=-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`));
  return `${environment}pnpm bench${quoted.length > 0 ? ` ${quoted.join(" ")}` : ""}`;
}
