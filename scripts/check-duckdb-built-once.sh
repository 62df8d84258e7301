#!/usr/bin/env bash
# Proves the build rule on this machine: after one full build, building the CLI alone, the core without its
# plugins, the tests, a plugin's own tests, clippy and the Python wheel (maturin) in turn each find libduckdb-sys "Fresh" and never
# compile DuckDB again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FINSAM_ROOT"
check() {
    local line
    line=$("$@" -v 2>&1 | grep -E ' libduckdb-sys v' | head -1 || true)
    echo "$* -> ${line:-no libduckdb-sys line}"
    case "$line" in *Fresh*) ;; *) echo "DuckDB would be compiled again by: $*" >&2; exit 1 ;; esac
}
check cargo build --release --workspace --all-targets
check cargo build --release -p finsam
# Without the built-in plugins (each a default-on feature): other features of finsam, the same DuckDB.
check cargo build --release -p finsam --no-default-features
check cargo test --release --workspace --no-run
# A plugin's own tests build the core through the test bench (a dev-dependency).
check cargo test --release -p finsam-age-sex --no-run
check cargo clippy --release --workspace --all-targets
(cd python && check maturin build --release -o "$CARGO_TARGET_DIR/wheels")
check cargo build --release -p finsam
echo "check-duckdb-built-once: every build reused the one compiled DuckDB"
