#!/usr/bin/env bash
# Runs the test suite again on Node 22 and Node 24 with the newest @pulumi/pulumi, @pulumi/aws and
# @pulumi/policy (the machine's Node runs it with the versions in package-lock.json: `npm test`).
#
# The Node binaries come from the npm registry (`node@22`, `node@24`), into a scratch folder; so does
# the newest SDK, installed into a copy of the repository. The copy is built and type-checked once
# against the newest SDK (ESLint and Prettier do not depend on the Node or SDK version: `npm test`
# ran them), then mocha runs once per Node version.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source .ci/lib.sh

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

step "Node 22 and Node 24 from the npm registry"
node22=$(install_node 22 "$scratch/node22")
node24=$(install_node 24 "$scratch/node24")
echo "node@22: $("$node22/node" --version), node@24: $("$node24/node" --version)"
step_done

step "Copy of the repository with the newest @pulumi/pulumi, @pulumi/aws and @pulumi/policy (npm on Node 22)"
mkdir "$scratch/repo"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch/repo"
cd "$scratch/repo"
# The lockfile keeps every other dependency at the version `npm test` used.
PATH="$node22:$PATH" npm install --no-audit --no-fund --loglevel=error --save-dev \
    @pulumi/pulumi@latest @pulumi/aws@latest @pulumi/policy@latest
PATH="$node22:$PATH" npm ls @pulumi/pulumi @pulumi/aws @pulumi/policy
step_done

step "Build, and type check of sources and tests, against the newest SDK"
PATH="$node22:$PATH" npm run build --silent
PATH="$node22:$PATH" npx tsc --noEmit -p tsconfig.json
step_done

for bin in "$node22" "$node24"; do
    step "mocha on Node $("$bin/node" --version) with @pulumi/pulumi $(package_version . @pulumi/pulumi), @pulumi/aws $(package_version . @pulumi/aws), @pulumi/policy $(package_version . @pulumi/policy)"
    PATH="$bin:$PATH" node -e 'console.log(`(node ${process.version} at ${process.execPath})`)'
    PATH="$bin:$PATH" npx mocha
    step_done
done
cd "$root"
