#!/usr/bin/env bash
# Every test: the build's own rules; the layout (cargo fmt --check); clippy without warnings; Rust's unit and integration tests (which run
# the built CLI); then the Python package is built and installed (scripts/python-install.sh) and pytest runs
# the statistics against statsmodels and lifelines, the Python API, the board report in headless chromium,
# and every notebook in a real Jupyter kernel.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$FINSAM_ROOT/scripts/setup.sh"
bash "$FINSAM_ROOT/scripts/setup-browser.sh"
cd "$FINSAM_ROOT"
bash scripts/check-build-rules.sh
bash scripts/check-layers.sh
bash scripts/check-layers.sh --self-test
# House layout (rustfmt.toml): checked, not fixed, so a change that skipped `cargo fmt` fails here.
cargo fmt --all --check
# House rule: no clippy warning anywhere (same profile as everything else, so DuckDB stays built).
cargo clippy --release --workspace --all-targets -- -D warnings
cargo test --release --workspace
bash scripts/python-install.sh
source scripts/python-env.sh
FINSAM_BIN="$CARGO_TARGET_DIR/release/finsam" "$FINSAM_VENV/bin/python" -m pytest -q -p no:cacheprovider tests/python
