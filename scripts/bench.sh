#!/usr/bin/env bash
# The benchmarks, in two parts:
#  1. scale (cargo bench --bench report): finsam's standard report and period comparison on about a million
#     generated enrolments (made once, kept in ~/.cache/finsam/bench) against one hand-written DuckDB query,
#     pandas and polars on the same data, and finsam's own statements run in DuckDB itself (the engine floor).
#     FINSAM_BENCH_TEN_MILLION=1 also times the report on ten million enrolments.
#  2. latency (benches/latency.py): what a person waits for at a federation's size, on the demo database:
#     the Python calls, one chart, and whole processes against a process that only opens the file with
#     DuckDB and runs the same statement (examples/duckdb_process.rs).
#  3. import memory (benches/import_memory.py): the peak memory of importing a 120 MB participants file (near the 128 MB limit)
#     against its size (FINSAM_BENCH_IMPORT_MB sets the size).
# FINSAM_BENCH_ONLY=scale, =latency or =import runs one part.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FINSAM_ROOT"
source scripts/python-env.sh
"$FINSAM_VENV/bin/pip" install -q --disable-pip-version-check -r benches/requirements.txt
only="${FINSAM_BENCH_ONLY:-}"
if [ -z "$only" ] || [ "$only" = scale ]; then
    FINSAM_BENCH_PYTHON="$FINSAM_VENV/bin/python" cargo bench --bench report
fi
if [ -z "$only" ] || [ "$only" = latency ]; then
    cargo build --release --workspace
    cargo build --release --example duckdb_process
    bash scripts/python-install.sh >/dev/null
    dir="$HOME/.cache/finsam/bench/latency"
    mkdir -p "$dir"
    finsam="$CARGO_TARGET_DIR/release/finsam"
    rm -f "$dir/demo.duckdb" "$dir/demo.duckdb.wal"
    "$finsam" demo --db "$dir/demo.duckdb" >/dev/null
    "$FINSAM_VENV/bin/python" benches/latency.py "$finsam" "$CARGO_TARGET_DIR/release/examples/duckdb_process" "$dir/demo.duckdb" "$dir"
fi
if [ -z "$only" ] || [ "$only" = import ]; then
    cargo build --release --workspace
    "$FINSAM_VENV/bin/python" benches/import_memory.py "$CARGO_TARGET_DIR/release/finsam" "$HOME/.cache/finsam/bench/import" "${FINSAM_BENCH_IMPORT_MB:-120}"
fi
