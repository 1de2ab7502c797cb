#!/usr/bin/env bash
# Builds hypersigil's backend for `pnpm bench http --hypersigil DIR` (docs/benchmarks.md).
#
#   bench/http/build-hypersigil.sh HYPERSIGIL_GIT TS_TYPED_API_GIT OUT
#
# HYPERSIGIL_GIT: a clone of github.com/hypersigilhq/hypersigil; TS_TYPED_API_GIT: a clone of
# github.com/PeterOsinski/ts-typed-api, the RPC library hypersigil's backend is written with. That
# library's versions are not on the npm registry this machine reaches, so it is built from its
# source, at the commit whose package.json has the version hypersigil pins. hypersigil's own
# TypeScript is transpiled with esbuild (its `tsc` build runs out of memory on the library's types
# here); the JavaScript is the same, the type check is skipped. OUT/backend is the directory to
# pass to --hypersigil.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 HYPERSIGIL_GIT TS_TYPED_API_GIT OUT" >&2
  exit 2
fi
hypersigil_git=$(realpath "$1")
library_git=$(realpath "$2")
out=$(realpath -m "$3")
root=$(realpath "$(dirname "$0")/../..")
esbuild="$root/packages/api/node_modules/.bin/esbuild"

mkdir -p "$out/backend" "$out/ts-typed-api"
echo "hypersigil $(git -C "$hypersigil_git" rev-parse --short HEAD): copying its backend to $out/backend"
git -C "$hypersigil_git" archive HEAD backend | tar -x -C "$out"

pinned=$(node -p 'require(process.argv[1]).dependencies["ts-typed-api"].replace(/^[\^~]/, "")' "$out/backend/package.json")
library_commit=""
for commit in $(git -C "$library_git" log --format=%h -- package.json); do
  version=$(git -C "$library_git" show "$commit:package.json" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version')
  if [ "$version" = "$pinned" ]; then
    library_commit=$commit
    break
  fi
done
if [ -z "$library_commit" ]; then
  echo "no commit of $library_git has ts-typed-api version $pinned" >&2
  exit 1
fi
echo "ts-typed-api $pinned is commit $library_commit: building it in $out/ts-typed-api"
git -C "$library_git" archive "$library_commit" | tar -x -C "$out/ts-typed-api"
(cd "$out/ts-typed-api" && npm install --no-audit --no-fund --ignore-scripts && npx tsc)

echo "installing hypersigil's backend with that build of ts-typed-api"
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  manifest.dependencies["ts-typed-api"] = "file:../ts-typed-api";
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
' "$out/backend/package.json"
(cd "$out/backend" && npm_config_nodedir="${npm_config_nodedir:-/usr}" npm install --no-audit --no-fund)

echo "transpiling hypersigil's backend to $out/backend/dist"
(cd "$out/backend" && find src -name '*.ts' ! -name '*.d.ts' -print0 |
  xargs -0 "$esbuild" --outdir=dist --outbase=src --format=cjs --platform=node --target=node20 --log-level=warning)
echo "done: pnpm bench http --hypersigil $out/backend"
