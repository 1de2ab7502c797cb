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

/** How a version came to be, for people: "Created", "Edited", "Restored v2". */
export function changeNoteLabel(note: string): string {
  if (note === "create") return "Created";
  if (note === "update") return "Edited";
  const restore = /^restore of v(\d+)$/.exec(note);
  if (restore) return `Restored v${restore[1] ?? ""}`;
  return note === "" ? "—" : note;
}
