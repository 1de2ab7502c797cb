import { describe, expect, it } from "vitest";
import { progress } from "./progress.ts";

/** A stream that is not a terminal (CI logs, pipes) and keeps what was written. */
function logStream(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, lines: () => chunks.join("").split("\n").filter(Boolean) };
}

describe("progress off a terminal", () => {
  it("prints the first state at once and the final state once", () => {
    const { stream, lines } = logStream();
    const bar = progress(3, "files backed up", stream);
    bar.update(1, 0);
    bar.update(3, 1);
    bar.finish();
    expect(lines().map((line) => line.replace(/ \d+\/s$/, ""))).toEqual(["1/3 files backed up", "3/3 files backed up, 1 failed"]);
  });

  it("does not repeat a final state its last line already said", () => {
    const { stream, lines } = logStream();
    const bar = progress(1, "archive verified and imported", stream);
    bar.update(1, 0);
    bar.finish();
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^1\/1 archive verified and imported/);
  });
});
