import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashOfFiles, reusableBundle, type Manifest } from "./worker-script.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sigil-worker-script-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setUp(): { manifestPath: string; source: string; bundle: string } {
  const source = join(dir, "file-worker.ts");
  const bundle = join(dir, "bundle.cjs");
  writeFileSync(source, "export const version = 1;\n");
  writeFileSync(bundle, "module.exports = 1;\n");
  const manifest: Manifest = { bundle, inputs: [source], inputsHash: hashOfFiles([source]) ?? "" };
  const manifestPath = join(dir, "manifest.json");
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { manifestPath, source, bundle };
}

describe("reusableBundle: a worker bundle is reused only while its sources are unchanged", () => {
  it("reuses the bundle when every source is as it was", () => {
    const { manifestPath, bundle } = setUp();
    expect(reusableBundle(manifestPath)).toBe(bundle);
  });

  it("rebuilds after a source changed (an upgrade must never run the old worker code)", () => {
    const { manifestPath, source } = setUp();
    writeFileSync(source, "export const version = 2;\n");
    expect(reusableBundle(manifestPath)).toBeUndefined();
  });

  it("rebuilds when a source or the bundle is gone, or the manifest is not one", () => {
    const first = setUp();
    rmSync(first.source);
    expect(reusableBundle(first.manifestPath)).toBeUndefined();
    const second = setUp();
    rmSync(second.bundle);
    expect(reusableBundle(second.manifestPath)).toBeUndefined();
    writeFileSync(second.manifestPath, "{ not json");
    expect(reusableBundle(second.manifestPath)).toBeUndefined();
    expect(reusableBundle(join(dir, "missing.json"))).toBeUndefined();
  });
});
