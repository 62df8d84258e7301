#!/usr/bin/env bash
# The board report's tests render it in a real browser: Debian's chromium, installed when missing.
set -euo pipefail
need() { command -v "$1" >/dev/null 2>&1; }
if ! need chromium; then
    if need apt-get; then
        echo "setup-browser: installing chromium (Debian's package) for the board report's browser tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup-browser: chromium is needed for the board report's browser tests" >&2
        exit 1
    fi
fi
