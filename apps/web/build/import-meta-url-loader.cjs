// Turbopack loader for the workspace packages' TypeScript source (see next.config.ts).
//
// @sigil/db finds its migration folders and its file-worker source with
// `new URL("../../migrations/tenant", import.meta.url)`. Turbopack treats that pattern as an
// asset reference: it fails on a directory ("Can't resolve") and would move a file elsewhere.
// What the code means is "relative to this source file", which is exactly what replacing
// `import.meta.url` by the source file's own URL gives (webpack does the same for server code).
// The bundle then refers to the checkout it was built in, as `pnpm start` (build, then serve in
// place) expects.
const { pathToFileURL } = require("node:url");

module.exports = function importMetaUrlLoader(source) {
  const url = JSON.stringify(pathToFileURL(this.resourcePath).href);
  return source.replace(/\bimport\.meta\.url\b/g, url);
};
