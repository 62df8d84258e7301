#!/usr/bin/env bash
# Checks the rules that keep DuckDB compiled once per machine and the Arrow types interchangeable:
#  1. one arrow version in Cargo.lock;
#  2. building any one crate (the CLI, the Python module) resolves the macro crates (syn, serde_derive...)
#     and the build-script helpers with the features the whole-workspace build does: otherwise a host
#     dependency of libduckdb-sys's build script changes and DuckDB is compiled again. The crate
#     workspace-hack pins the union. (cargo tree shows host and target side merged, so the comparison is
#     limited to crates that only run on the host; scripts/check-duckdb-built-once.sh proves the rule with
#     real builds.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

arrow_versions=$(grep -c '^name = "arrow-array"$' Cargo.lock)
if [ "$arrow_versions" -ne 1 ]; then
    echo "check-build-rules: Cargo.lock holds $arrow_versions versions of arrow-array; keep the one duckdb uses" >&2
    exit 1
fi

resolved() {
    local out
    out=$(cargo tree "$@" -f '{p}|{f}' --prefix none) || { echo "check-build-rules: cargo tree $* failed" >&2; exit 1; }
    [ -n "$out" ] || { echo "check-build-rules: cargo tree $* printed nothing" >&2; exit 1; }
    printf '%s\n' "$out" | sed 's/ (\*)$//' | grep -E '^(syn|quote|proc-macro2|serde|serde_core|serde_derive|serde_json|cc|jobserver|shlex|find-msvc-tools|tar|flate2|clap_derive|thiserror-impl|pyo3-macros|pyo3-macros-backend|pyo3-build-config) v' | sort -u
}
whole=$(mktemp)
resolved --workspace -e normal,build,dev > "$whole"
status=0
# The roots that compile DuckDB. Plugin crates (plugins/*) do not depend on DuckDB: building one alone may
# resolve other macro features, which costs a few seconds and never a DuckDB compile.
# finsam-age-sex is the plugin whose tests run the core's test bench (a dev-dependency on finsam, so on DuckDB).
for root in finsam finsam-python finsam-age-sex; do
    edges=normal,build
    [ "$root" = finsam-age-sex ] && edges=normal,build,dev
    extra=$(comm -13 "$whole" <(resolved -p "$root" -e "$edges"))
    if [ -n "$extra" ]; then
        echo "check-build-rules: building -p $root alone resolves features the workspace build does not:" >&2
        echo "$extra" >&2
        status=1
    fi
done
# 3. The macro crates and build helpers that DuckDB's build script is compiled with keep the versions and
#    features DuckDB was compiled with (scripts/duckdb-build-features.txt). A new dependency that moves them
#    (Typst's icu derive macros once asked syn 3 for `fold`) would compile DuckDB again on every machine:
#    pin that dependency instead, or, if it cannot be helped, update the file on purpose and say so.
duckdb_host=$(grep -E '^(syn|quote|proc-macro2|unicode-ident|serde_derive|cc|jobserver|shlex|find-msvc-tools) v' "$whole" \
    | sed 's/ (proc-macro)//' | grep -v '^syn v[12]\.' || true)
if ! diff <(printf '%s\n' "$duckdb_host") scripts/duckdb-build-features.txt >/dev/null; then
    echo "check-build-rules: the crates DuckDB's build script is compiled with changed (DuckDB would be compiled again):" >&2
    diff <(printf '%s\n' "$duckdb_host") scripts/duckdb-build-features.txt >&2 || true
    status=1
fi
rm -f "$whole"
[ $status -eq 0 ] && echo "check-build-rules: one arrow version; every build root resolves the workspace's feature set; DuckDB's build inputs unchanged"
exit $status
