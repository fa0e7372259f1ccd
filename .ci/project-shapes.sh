#!/usr/bin/env bash
# The project-shape test (tests/package/projectShapes.ts): `npx dynamodb-pitr check` in each shape of
# Node.js Pulumi project (TypeScript without ts-node, JavaScript, `main: infra/`, `typescript: false`,
# pnpm, yarn), with this package installed from its `npm pack` tarball. Packages come from the npm
# cache where it has them (the SDK versions of package-lock.json), else the npm registry.
#
# Usage: .ci/project-shapes.sh <folder with a node binary>
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bin="$1"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

step "Project shapes on Node $("$bin/node" --version): npm (TypeScript, JavaScript, main: infra/, typescript: false), pnpm, yarn"
if [[ ! -f bin/cli/main.js ]]; then
    echo "FAILED: bin/ is not built: run \`npm run build\` first" >&2
    exit 1
fi
tarball="$scratch/$(npm pack --ignore-scripts --loglevel=error --pack-destination "$scratch" | tail -1)"
PATH="$bin:$PATH" node -r ts-node/register/transpile-only tests/package/projectShapes.ts "$tarball"
step_done
