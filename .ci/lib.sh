# Shared by the CI steps: timing, and Node.js binaries installed from the npm registry.

# Prints a step's heading and remembers when it started.
step() {
    STEP_NAME="$1"
    STEP_START=$(date +%s)
    echo
    echo "=== $STEP_NAME"
}

# Prints how long the current step took.
step_done() {
    echo "=== $STEP_NAME: $(($(date +%s) - STEP_START)) s"
}

# install_node <major> <folder>: installs the `node@<major>` npm package (the official binary, through
# its platform package) into <folder> and prints the folder holding the `node` binary. Fails loudly
# when the binary cannot be installed or is not the version asked for: a Node version must never be
# skipped silently.
install_node() {
    local major="$1" dir="$2"
    mkdir -p "$dir"
    if ! npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node@$major" >&2; then
        echo "FAILED: could not install node@$major from the npm registry" >&2
        return 1
    fi
    local bin="$dir/node_modules/node/bin"
    local version
    if ! version=$("$bin/node" --version 2>/dev/null) || [[ "$version" != "v$major."* ]]; then
        echo "FAILED: node@$major installed, but $bin/node reports '${version:-nothing}'" >&2
        return 1
    fi
    echo "$bin"
}

# package_version <folder> <package>: the version of <package> that code in <folder> resolves.
package_version() {
    node -e 'console.log(require(require.resolve(process.argv[2] + "/package.json", { paths: [process.argv[1]] })).version)' "$1" "$2"
}
