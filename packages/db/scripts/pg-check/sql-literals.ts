/** SQL literals written for one engine or the other, so one scenario runs on both (scripts/pg-check/scenarios.ts). */
export type Engine = "sqlite" | "pg";

export const text = (value: string | null) => (value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`);

/** What Drizzle writes for a JSON column on either engine: JSON.stringify's text. */
export const json = (engine: Engine, value: unknown) => (engine === "pg" ? `${text(JSON.stringify(value))}::jsonb` : text(JSON.stringify(value)));

/** Milliseconds since the epoch. */
export const time = (engine: Engine, ms: number) => (engine === "pg" ? `to_timestamp(${ms} / 1000.0)` : String(ms));

export const bytes = (engine: Engine, value: Buffer) => (engine === "pg" ? `'\\x${value.toString("hex")}'::bytea` : `X'${value.toString("hex")}'`);
