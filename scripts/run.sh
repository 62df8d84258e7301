#!/usr/bin/env bash
# The main job: build finsam, write the synthetic demo federations into out/demo.duckdb, show what it
# holds, draw the chart set (2020–2021 against 2022–2023) into out/charts and write Umeå's board report. The first build compiles
# DuckDB (about 25-45 minutes on two cores); later ones take seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$FINSAM_ROOT/scripts/setup.sh"
cd "$FINSAM_ROOT"
cargo build --release --workspace
finsam="$CARGO_TARGET_DIR/release/finsam"
mkdir -p out
rm -f out/demo.duckdb out/demo.duckdb.wal
"$finsam" demo --db out/demo.duckdb
echo
"$finsam" charts --db out/demo.duckdb --period 2020-2021 --vs 2022-2023 --out out/charts --force
echo
"$finsam" board-report --db out/demo.duckdb --federation umea --period 2020-2021 --vs 2022-2023 --out out/styrelserapport-umea.html --pdf out/styrelserapport-umea.pdf --force
echo
echo "Query it:  $finsam sql --db out/demo.duckdb \"SELECT name, start_date FROM intervention\""
echo "Charts:    out/charts/*.svg and *.png"
echo "Board:     out/styrelserapport-umea.html (open it in a browser; it prints on A4) and out/styrelserapport-umea.pdf"
