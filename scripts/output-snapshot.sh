#!/usr/bin/env bash
# Writes every kind of output finsam makes on the demo into a directory, one file per output, so that two
# builds can be compared byte for byte (a change to the code's structure must not change what anyone reads):
#
#   scripts/output-snapshot.sh DIR [FINSAM_BINARY]
#   diff -r BEFORE AFTER
#
# Covered: the report, comparisons, time to event, costs and every plugin analysis in table, CSV and JSON,
# Swedish and English, under each protection; every chart as SVG and PNG; exports (CSV, XLSX, Parquet, the
# follow-up file); info and the plugin list; every command's --help; the board report as HTML and PDF. The binary defaults to the
# release build in the target directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
out="${1:?usage: output-snapshot.sh DIR [FINSAM_BINARY]}"
finsam="${2:-$CARGO_TARGET_DIR/release/finsam}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/demo.duckdb"
"$finsam" demo --db "$db" >/dev/null

n=0
# run NAME ARGS...: the command's standard output and error and its exit status, in one file.
run() {
    local name="$1"
    shift
    n=$((n + 1))
    local status=0
    (cd "$work" && "$finsam" "$@") >"$out/$name.out" 2>"$out/$name.err" || status=$?
    echo "$status" >"$out/$name.status"
}

cohorts=(
    "fed-umea|--federation umea"
    "int-ungdomstorget-2022-2023|--intervention ungdomstorget --period 2022-2023"
    "int-comung-men-20-29|--intervention comung --sex male --age 20-29"
    "fed-ale-overlap-2020-2021|--federation ale --period 2020-2021 --membership overlap"
    "support-before|--federation finsam-falun --support-before social_assistance --target-group multiple_needs"
)
protections=(perturbation suppression raw)

for entry in "${cohorts[@]}"; do
    name="${entry%%|*}"
    read -r -a filters <<<"${entry#*|}"
    for protection in "${protections[@]}"; do
        for lang in sv en; do
            for format in table csv json; do
                tag="$name.$protection.$lang.$format"
                run "report.$tag" report --db "$db" "${filters[@]}" --protection "$protection" --lang "$lang" --format "$format"
                run "survival-exit.$tag" survival --db "$db" "${filters[@]}" --protection "$protection" --lang "$lang" --format "$format"
                run "survival-self.$tag" survival --db "$db" "${filters[@]}" --event self-support --months 3,6,12,24 \
                    --protection "$protection" --lang "$lang" --format "$format"
                run "costs.$tag" costs --db "$db" "${filters[@]}" --protection "$protection" --lang "$lang" --format "$format"
                for plugin in age-sex socio-economic; do
                    run "run-$plugin.$tag" run "$plugin" --db "$db" "${filters[@]}" --protection "$protection" --lang "$lang" --format "$format"
                done
            done
        done
    done
done
run report.show-sql report --db "$db" --intervention comung --period 2022-2023 --show-sql

comparisons=(
    "periods-umea|--federation umea --period 2020-2021 --vs 2022-2023"
    "interventions|--intervention ungdomstorget --period 2022-2023 --vs-intervention steget-vidare"
    "federations|--period 2022-2023 --federation umea --vs-federation lund"
)
for entry in "${comparisons[@]}"; do
    name="${entry%%|*}"
    read -r -a args <<<"${entry#*|}"
    for protection in "${protections[@]}"; do
        for lang in sv en; do
            for format in table csv json; do
                run "compare.$name.$protection.$lang.$format" compare --db "$db" "${args[@]}" --protection "$protection" --lang "$lang" --format "$format"
            done
        done
    done
done

for lang in sv en; do
    for format in table csv json; do
        run "run-allocation.$lang.$format" run allocation --db "$db" --year 2023 --lang "$lang" --format "$format"
        run "run-socio-economic-parameters.$lang.$format" run socio-economic-parameters --db "$db" --lang "$lang" --format "$format"
    done
done

for protection in "${protections[@]}"; do
    for lang in sv en; do
        dir="charts.$protection.$lang"
        run "$dir" charts --db "$db" --federation umea --period 2020-2021 --vs 2022-2023 --protection "$protection" --lang "$lang" --out "$out/$dir"
    done
done
for measure in work_or_studies started_or_increased self_supporting unsubsidised_work; do
    run "chart-periods.$measure" chart periods --db "$db" --federation ale --period 2020-2021 --vs 2022-2023 --measure "$measure" \
        --out "$out/chart-periods.$measure.svg"
done

for what in intervention budget_line report costs; do  # an analysis with several tables as Parquet is an error, kept
    for format in csv xlsx parquet; do
        run "export.$what.$format" export --db "$db" --what "$what" --federation umea --period 2022-2023 --format "$format" \
            --out "$out/export.$what.$format"
    done
done
run export.uppfoljning export --db "$db" --format uppfoljning --arg year=2023 \
    --out "$out/export.uppfoljning.xlsx"

# Each command's help: what a person reads to learn the options.
for command in report compare survival costs chart charts export board-report import template sql info plugins demo generate; do
    run "help.$command" "$command" --help
done
for plugin in age-sex socio-economic allocation; do
    run "help.run-$plugin" run "$plugin" --help
done
run info info --db "$db"
run plugins plugins
for lang in sv en; do
    run "board-report.$lang" board-report --db "$db" --federation umea --period 2020-2021 --vs 2022-2023 --lang "$lang" \
        --out "$out/board-report.$lang.html" --pdf "$out/board-report.$lang.pdf"
done
run report.follow-up report --db "$db" --federation lund --period 2020-2021 --follow-up 12
# A workbook carries the time it was written (docProps/core.xml): compared unpacked, without it.
find "$out" -name '*.xlsx' | while read -r book; do
    unzip -q -o "$book" -d "$book.unpacked"
    rm -f "$book" "$book.unpacked/docProps/core.xml"
done
# The paths of the database and the directory are the parts of an output that differ between two runs.
grep -rlF -e "$work" -e "$out" "$out" | while read -r file; do sed -i -e "s#$work#WORK#g" -e "s#$out#OUT#g" "$file"; done
echo "output-snapshot: $n commands written to $out"
