#!/usr/bin/env bash
# The consumer-install test (tests/package/consumerInstall.ts): this package's `npm pack` tarball
# installed next to the newest @pulumi/pulumi and @pulumi/aws, in a TypeScript and a JavaScript
# Pulumi project, side by side (most of the time is npm fetching and unpacking). The newest SDK
# needs Node 22 or later: the test runs on the Node given.
#
# Usage: .ci/consumer-install.sh <folder with a node binary>
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bin="$1"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

step "Consumer install on Node $("$bin/node" --version): TypeScript and JavaScript projects side by side"
if [[ ! -f bin/cli/main.js ]]; then
    echo "FAILED: bin/ is not built: run \`npm run build\` first" >&2
    exit 1
fi
# `npm test` built bin/ already: pack it as is.
tarball="$scratch/$(npm pack --ignore-scripts --loglevel=error --pack-destination "$scratch" | tail -1)"
echo "tarball $(basename "$tarball"), $(du -k "$tarball" | cut -f1) kB"
pids=()
for flavour in ts js; do
    PATH="$bin:$PATH" node -r ts-node/register/transpile-only tests/package/consumerInstall.ts \
        "$tarball" "$flavour" > "$scratch/$flavour.log" 2>&1 &
    pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
cat "$scratch/ts.log" "$scratch/js.log"
step_done
exit $failed
