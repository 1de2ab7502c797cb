import { usageError } from "./errors.ts";

/**
 * Reading command-line values, one way for every command: a wrong value is a usage error (exit
 * code 2) that names the flag and repeats what was typed.
 */

/** A whole number; with `range`, also within it (otherwise the caller's schema checks the range). */
export function wholeNumberOption(flag: string, raw: string, range?: { min: number; max: number }): number {
  const value = Number(raw);
  const inRange = range === undefined || (value >= range.min && value <= range.max);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || !inRange) {
    throw usageError(`${flag} must be a whole number${range ? ` from ${range.min} to ${range.max}` : ""}; got "${raw}".`);
  }
  return value;
}

/** One of `allowed`, or undefined when the flag was not given. */
export function choiceOption<T extends string>(flag: string, allowed: readonly T[], value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((known) => known === value);
  if (!found) throw usageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}".`);
  return found;
}

/** Commander's collector for a flag that may be given several times (`--tenant a --tenant b`). */
export function repeatable(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The problems the API's own schema found in what the command line built, one per line, each
 * under its path with the first key named as the user typed it (`flags`: schema key → flag).
 */
export function schemaUsageError(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, flags: Record<string, string>): Error {
  const lines = error.issues.map((issue) => {
    const [first, ...rest] = issue.path.map(String);
    const head = first === undefined ? "" : (flags[first] ?? first);
    return `${[head, ...rest].join(".")}: ${issue.message}`;
  });
  return usageError(lines.join("\n"));
}
