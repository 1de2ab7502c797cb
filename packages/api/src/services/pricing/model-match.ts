/**
 * Which priced model name an execution's model takes its price from:
 *
 * 1. the exact name, else
 * 2. the name without a dated-snapshot suffix: `-YYYYMMDD` (`claude-sonnet-4-5-20250929` →
 *    `claude-sonnet-4-5`), `-YYYY-MM-DD` (`gpt-4o-2024-08-06` → `gpt-4o`) or `-latest`
 *    (`claude-3-7-sonnet-latest` → `claude-3-7-sonnet`).
 *
 * Nothing else is guessed: `gpt-4o-mini` never takes `gpt-4o`'s price, and a name that matches
 * neither way has no price (its executions have no cost until the administrator adds one).
 */
const SNAPSHOT_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/** The alias a dated snapshot belongs to, or null if the name has no snapshot suffix. */
export function snapshotAlias(model: string): string | null {
  const alias = model.replace(SNAPSHOT_SUFFIX, "");
  return alias !== model && alias !== "" ? alias : null;
}

/** The key of `priced` whose price `model` takes (rules above), or null. */
export function matchPricedModel<T>(model: string, priced: ReadonlyMap<string, T>): string | null {
  if (priced.has(model)) return model;
  const alias = snapshotAlias(model);
  return alias !== null && priced.has(alias) ? alias : null;
}
