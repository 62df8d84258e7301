#!/usr/bin/env bash
# Builds the finsam Python package (maturin, release, the shared target directory, so DuckDB is not
# compiled again) and installs it into a Python: $FINSAM_PYTHON, else the project's virtual environment.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FINSAM_ROOT"
source scripts/python-env.sh
python="${FINSAM_PYTHON:-$FINSAM_VENV/bin/python}"
"$python" -m pip install -q --disable-pip-version-check "maturin>=1.5,<2"
wheels="$CARGO_TARGET_DIR/wheels"
rm -f "$wheels"/finsam-*.whl
"$python" -m maturin build --release -m python/Cargo.toml -o "$wheels" --interpreter "$python" -q
"$python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/finsam-*.whl
"$python" -c "import finsam; print('finsam', finsam.__version__, 'installed for', __import__('sys').executable)"
