# Sourced by the other scripts: one target directory and one profile for every build.
#
# DuckDB is compiled from source (duckdb-rs `bundled`), which takes the better part of an hour on two cores.
# Every build therefore uses --release and the same target directory, kept outside the clone so a fresh
# clone (CI on the same machine) reuses it. Set CARGO_TARGET_DIR to choose another.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/finsam/target}"
mkdir -p "$CARGO_TARGET_DIR"
# The project's root, whatever the caller's working directory.
FINSAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FINSAM_ROOT
