#!/usr/bin/env bash
# Every test: the build's own rules, then Rust's unit and integration tests (which run the built CLI).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$FINSAM_ROOT/scripts/setup.sh"
cd "$FINSAM_ROOT"
bash scripts/check-build-rules.sh
cargo test --release --workspace
