/**
 * The pair of versions the Versions tab compares (`versions` newest first): the URL's choices
 * when they exist, else the version before `to` (or before the newest) against `to` (or the newest).
 * Null while there is nothing to compare (fewer than two versions).
 */
export function comparison(versions: readonly number[], from: number | null, to: number | null): { from: number; to: number } | null {
  const newest = versions[0];
  if (newest === undefined || versions.length < 2) return null;
  const right = to !== null && versions.includes(to) ? to : newest;
  const older = versions.filter((version) => version < right);
  const left = from !== null && versions.includes(from) ? from : (older[0] ?? versions.find((version) => version !== right) ?? right);
  return { from: left, to: right };
}

/**
 * How a version came to be, for people: "Created", "Edited", "Restored v2", the person's own note,
 * or a restore with a note ("Restored v2: back to the short greeting").
 */
export function changeNoteLabel(note: string): string {
  if (note === "create") return "Created";
  if (note === "update") return "Edited";
  const restore = /^restore of v(\d+)(?:: ([\s\S]*))?$/.exec(note);
  if (restore) return restore[2] ? `Restored v${restore[1] ?? ""}: ${restore[2]}` : `Restored v${restore[1] ?? ""}`;
  return note === "" ? "—" : note;
}

/** A deployment as a label on a version (deployments.forPrompt). */
export interface VersionLabel {
  id: string;
  name: string;
  servedVersion: number;
  tracking: "pinned" | "latest";
}

/** "production (pinned)", "staging (follows latest)". */
export function labelText(label: Pick<VersionLabel, "name" | "tracking">): string {
  return `${label.name} (${label.tracking === "pinned" ? "pinned" : "follows latest"})`;
}

/** The labels on each version: the deployments that serve it now, pinned ones first, then by name. */
export function labelsByVersion<L extends VersionLabel>(labels: readonly L[]): Map<number, L[]> {
  const byVersion = new Map<number, L[]>();
  const sorted = [...labels].sort((a, b) => (a.tracking === b.tracking ? a.name.localeCompare(b.name) : a.tracking === "pinned" ? -1 : 1));
  for (const label of sorted) byVersion.set(label.servedVersion, [...(byVersion.get(label.servedVersion) ?? []), label]);
  return byVersion;
}
