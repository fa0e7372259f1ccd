#!/usr/bin/env bash
# `npm run test:compat`: after `npm test` (the machine's Node, the SDK versions in package-lock.json),
# the suite again on Node 22 and 24 with the newest Pulumi SDK, and the consumer-install test. Node 22
# and 24 come from the npm registry (`node@22`, `node@24`); nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
started=$(date +%s)
echo "(npm test ran on Node $(node --version) with @pulumi/pulumi $(package_version . @pulumi/pulumi), @pulumi/aws $(package_version . @pulumi/aws), @pulumi/policy $(package_version . @pulumi/policy))"

step "Node 22 and Node 24 from the npm registry"
nodes=$(mktemp -d)
trap 'rm -rf "$nodes"' EXIT
node22=$(install_node 22 "$nodes/node22")
node24=$(install_node 24 "$nodes/node24")
echo "node@22: $("$node22/node" --version), node@24: $("$node24/node" --version)"
step_done

# The consumer install is mostly npm fetching and unpacking, the matrix mostly two busy cores: run
# them side by side, each into its own log, printed whole once both are done. A further check is one
# more line in this list.
logs=$(mktemp -d)
trap 'rm -rf "$nodes" "$logs"' EXIT
pids=()
names=()
run_beside() {
    local name="$1"
    shift
    "$@" > "$logs/$name.log" 2>&1 &
    pids+=("$!")
    names+=("$name")
}
run_beside node-matrix bash .ci/node-matrix.sh "$node22" "$node24"
run_beside consumer-install bash .ci/consumer-install.sh "$node22"
run_beside project-shapes bash .ci/project-shapes.sh "$node22"
failed=()
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
done
for name in "${names[@]}"; do
    cat "$logs/$name.log"
done
if ((${#failed[@]})); then
    echo
    echo "=== FAILED: ${failed[*]}"
    exit 1
fi

echo
echo "=== Node 22/24, consumer install and project shapes passed in $(($(date +%s) - started)) s"
