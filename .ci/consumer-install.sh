#!/usr/bin/env bash
# The consumer-install test (tests/package/consumerInstall.ts): this package's `npm pack` tarball
# installed next to the newest @pulumi/pulumi and @pulumi/aws, in a TypeScript and a JavaScript
# Pulumi project. The newest SDK needs Node 22 or later: the test runs on the Node given.
#
# Usage: .ci/consumer-install.sh <folder with a node binary>
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bin="$1"

step "Consumer install on Node $("$bin/node" --version)"
PATH="$bin:$PATH" node -r ts-node/register/transpile-only tests/package/consumerInstall.ts
step_done
