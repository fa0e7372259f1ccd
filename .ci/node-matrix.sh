#!/usr/bin/env bash
# Runs the test suite again on newer Node versions with the newest @pulumi/pulumi, @pulumi/aws and
# @pulumi/policy (`npm test` ran it on the machine's Node with the versions in package-lock.json).
#
# Usage: .ci/node-matrix.sh <folder with a node binary>...
# The newest SDK is installed into a copy of the repository, which takes `npm test`'s build (bin/ and
# policies/bin/: the JavaScript tsc emits does not depend on the SDK's types). The copy is
# type-checked once, with the first Node, against the newest SDK (ESLint and Prettier depend on
# neither the Node nor the SDK version: `npm test` ran them); then mocha runs once per Node, side by
# side, each with --no-parallel (`npm test`'s two workers would make four busy processes on two cores;
# the specs use only temporary folders and ports of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
first="$1"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

step "Copy of the repository with the newest @pulumi/pulumi, @pulumi/aws and @pulumi/policy (npm on Node $("$first/node" --version))"
mkdir "$scratch/repo"
if [[ ! -f bin/cli/main.js || ! -f policies/bin/index.js ]]; then
    echo "FAILED: bin/ is not built: run \`npm run build\` first" >&2
    exit 1
fi
{
    git ls-files -z --cached --others --exclude-standard
    printf '%s\0' bin policies/bin
} | tar --null -T - -cf - | tar -xf - -C "$scratch/repo"
cd "$scratch/repo"
# The lockfile keeps every other dependency at the version `npm test` used.
PATH="$first:$PATH" npm install --no-audit --no-fund --loglevel=error --save-dev \
    @pulumi/pulumi@latest @pulumi/aws@latest @pulumi/policy@latest
PATH="$first:$PATH" npm ls @pulumi/pulumi @pulumi/aws @pulumi/policy
step_done

step "Type check of sources and tests against the newest SDK"
PATH="$first:$PATH" npx tsc --noEmit -p tsconfig.json
step_done

versions="@pulumi/pulumi $(package_version . @pulumi/pulumi), @pulumi/aws $(package_version . @pulumi/aws), @pulumi/policy $(package_version . @pulumi/policy)"
step "mocha on $(for bin in "$@"; do printf 'Node %s, ' "$("$bin/node" --version)"; done)side by side, with $versions"
pids=()
for bin in "$@"; do
    log="$scratch/mocha-$("$bin/node" --version).log"
    (
        start=$(date +%s)
        PATH="$bin:$PATH" node -e 'console.log(`mocha on Node ${process.version} (${process.execPath})`)'
        status=0
        # One process per Node: the two Node versions already share the two cores.
        PATH="$bin:$PATH" npx mocha --no-parallel || status=$?
        echo "mocha on Node $("$bin/node" --version): exit $status, $(($(date +%s) - start)) s"
        exit $status
    ) > "$log" 2>&1 &
    pids+=("$!")
done
failed=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed=1
done
for bin in "$@"; do
    echo "--- $versions"
    cat "$scratch/mocha-$("$bin/node" --version).log"
done
step_done
exit $failed
