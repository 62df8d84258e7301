#!/usr/bin/env bash
# The board report's tests render it in a real browser and rasterise its PDF: Debian's chromium and
# poppler-utils (pdftoppm, pdftotext), installed when missing.
set -euo pipefail
need() { command -v "$1" >/dev/null 2>&1; }
missing=()
need chromium || missing+=(chromium)
need pdftoppm || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if need apt-get; then
        echo "setup-browser: installing ${missing[*]} (Debian's packages) for the board report's tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup-browser: ${missing[*]} needed for the board report's tests" >&2
        exit 1
    fi
fi
