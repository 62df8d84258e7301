# Sourced: a virtual environment outside the clone with the Python test dependencies, made once per
# machine and refreshed when tests/python/requirements.txt changes.
FINSAM_VENV="${FINSAM_VENV:-$HOME/.cache/finsam/venv}"
export FINSAM_VENV
if [ ! -x "$FINSAM_VENV/bin/python" ]; then
    python3 -m venv "$FINSAM_VENV" 2>/dev/null || {
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$FINSAM_VENV"
    }
fi
stamp="$FINSAM_VENV/.requirements"
if ! cmp -s "$FINSAM_ROOT/tests/python/requirements.txt" "$stamp"; then
    "$FINSAM_VENV/bin/pip" install -q --disable-pip-version-check -r "$FINSAM_ROOT/tests/python/requirements.txt"
    cp "$FINSAM_ROOT/tests/python/requirements.txt" "$stamp"
fi
