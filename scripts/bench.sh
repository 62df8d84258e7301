#!/usr/bin/env bash
# The benchmark: finsam's standard report and period comparison against one hand-written DuckDB query and
# against pandas, on about a million generated enrolments (made once, kept in ~/.cache/finsam/bench).
# FINSAM_BENCH_TEN_MILLION=1 also times the report on ten million enrolments.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FINSAM_ROOT"
source scripts/python-env.sh
"$FINSAM_VENV/bin/pip" install -q --disable-pip-version-check -r benches/requirements.txt
FINSAM_BENCH_PYTHON="$FINSAM_VENV/bin/python" cargo bench --bench report
