#!/usr/bin/env bash
# Installs what finsam needs on a fresh machine. Safe to run again: it skips what is already there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

need() { command -v "$1" >/dev/null 2>&1; }

if ! need cargo; then
    echo "setup: cargo is missing; install Rust (https://rustup.rs) and run this again" >&2
    exit 1
fi
# The test command checks the layout and lints: rustfmt and clippy come with rustup's default profile, but
# not with its minimal one.
for tool in fmt clippy; do
    if ! cargo "$tool" --version >/dev/null 2>&1; then
        if need rustup; then
            rustup component add "$([ "$tool" = fmt ] && echo rustfmt || echo clippy)"
        else
            echo "setup: cargo $tool is missing; install the rustfmt and clippy components" >&2
            exit 1
        fi
    fi
done
# DuckDB's bundled build needs a C++ compiler.
if ! need c++ && ! need g++; then
    if need apt-get; then
        apt-get update -qq && apt-get install -y -qq g++ >/dev/null
    else
        echo "setup: a C++ compiler (g++) is needed to build DuckDB" >&2
        exit 1
    fi
fi
echo "setup: ready (cargo target directory: $CARGO_TARGET_DIR)"
