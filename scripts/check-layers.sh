#!/usr/bin/env bash
# Checks that the core's modules use only the layers below them (docs/architecture.md draws the picture):
# a module named on the left may name, as `crate::MODULE`, only the modules on its right. The faces (the
# binary's src/main.rs and src/cli, the Python crate) may use any public item and are not listed.
#
#   scripts/check-layers.sh          the check (run by scripts/test.sh)
#   scripts/check-layers.sh --list   every module and what it uses, to see the picture
#   scripts/check-layers.sh --self-test   the check fails on each back-arrow the layers once had
#
# A use against the rule fails with the file and line. To add a module, give it a line here: a module
# without a line fails too, so the picture cannot drift by omission.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The source tree to check (the self-test checks copies of it).
src="${FINSAM_LAYERS_SRC:-src}"

# Foundation: no finsam module above these; then the model; what fills it; analyses (true numbers);
# disclosure control (what may be published); presentation; charts; the plugin host; the outputs made of
# all of them; the openers with the built-in plugins; the demo; the plugin author's test bench.
declare -A may_use=(
    [error]=""
    [limits]=""
    [rng]=""
    [codes]="error"
    [files]="error"
    [pseudonym]="error"
    [text]="codes"
    [format]="codes"
    [table]="codes error"
    [model]="codes error files table"
    [import]="model codes error files limits pseudonym text"
    [generate]="model codes error rng pseudonym"
    [overview]="model error table"
    [analysis]="model codes error table text"
    [disclosure]="analysis model codes error table text"
    [present]="disclosure analysis model codes error table text format"
    [charts]="present disclosure analysis model codes error files format text"
    [options]="analysis disclosure codes error table"
    [plugins]="charts present disclosure analysis model codes error files table text"
    [export]="plugins present disclosure analysis model codes error files table"
    [notebook]="present disclosure analysis codes error format table"
    [board]="plugins charts present disclosure analysis model codes error files format limits table text"
    [session]="plugins model error"
    [demo]="session model codes error pseudonym rng"
    [kit]="demo plugins present disclosure analysis model codes error"
)

# Every `crate::NAME` a file names, and the top-level names inside `use crate::{a, b::{c, d}}` (over
# several lines too), each with its line.
uses_of() {
    # In a module's root file (src/NAME.rs, src/NAME/mod.rs) `super::` is the crate root.
    local root=0
    case "$1" in "$src"/*/mod.rs) root=1 ;; "$src"/*/*) ;; *) root=1 ;; esac
    ROOT=$root perl -0777 -ne '
        # Comments name modules without using them.
        s{//[^\n]*}{}g;
        my $line_of = sub { 1 + (substr($_, 0, $_[0]) =~ tr/\n//) };
        while (/crate::([a-z_]+)/g) { print $line_of->($-[0]), " $1\n"; }
        if ($ENV{ROOT}) { while (/(?<![:\w])super::([a-z_]+)/g) { print $line_of->($-[0]), " $1\n"; } }
        while (/use\s+crate::\{((?:[^{}]|\{(?1)\})*)\}/g) {
            my ($group, $at) = ($1, $-[0]);
            1 while $group =~ s/\{[^{}]*\}//g;
            for my $item (split /,/, $group) { print $line_of->($at), " $1\n" if $item =~ /^\s*([a-z_]+)/; }
        }
        # Ways to reach a module that the check could not see: each is refused, so every use names its module.
        while (/(super::super::|crate::[A-Z]|crate::\*|use\s+crate\s+as\b|crate\s+::|#\[path\b)/g) {
            print $line_of->($-[0]), " !$1\n";
        }' "$1"
}

status=0
declare -A seen=()
if [ "${1:-}" = --self-test ]; then
    # module file, and the use that once went against the layers.
    arrows=(
        "src/model/mod.rs|use crate::demo::load;"
        "src/model/mod.rs|use crate::plugins::builtin;"
        "src/model/migrate.rs|use crate::disclosure::Protection;"
        "src/error.rs|use crate::import::RowError;"
        "src/charts/build.rs|use crate::plugins::Call;"
        "src/analysis/costs.rs|use crate::disclosure::{Cell, Protector};"
        "src/analysis/report.rs|use crate::present::render::Section;"
        "src/disclosure/mod.rs|use crate::present::section::Value;"
        "src/import/write.rs|use crate::disclosure::Protection;"
        "src/board/content.rs|use crate::demo::SYNTHETIC_NOTE_SV;"
        "src/analysis/mod.rs|use crate::{codes, disclosure::Tally};"
        "src/analysis/mod.rs|pub use super::disclosure::Protection;"
        "src/model/open.rs|fn f() { super::super::demo::model(); }"
        "src/error.rs|fn f(_: crate::Model) {}"
        "src/codes.rs|use crate::*;"
        "src/analysis/costs.rs|use crate as root;"
        "src/model/mod.rs|#[path = \"../board/mod.rs\"] mod b;"
        "src/analysis/compare.rs|use crate::{
    codes::Lang,
    disclosure::{Cell, Protection},
};"
    )
    failed=0
    if ! bash "${BASH_SOURCE[0]}" >/dev/null 2>&1; then
        echo "check-layers --self-test: the tree itself fails the check; fix that first" >&2
        exit 1
    fi
    for arrow in "${arrows[@]}"; do
        file="${arrow%%|*}"
        copy=$(mktemp -d)
        cp -r src "$copy/src"
        printf '%s\n' "${arrow#*|}" >>"$copy/$file"
        if FINSAM_LAYERS_SRC="$copy/src" bash "${BASH_SOURCE[0]}" >/dev/null 2>&1; then
            echo "check-layers --self-test: not caught: ${arrow#*|} in $file" >&2
            failed=1
        fi
        rm -rf "$copy"
    done
    [ $failed -eq 0 ] && echo "check-layers --self-test: each of ${#arrows[@]} back-arrows fails the check"
    exit $failed
fi

while IFS= read -r file; do
    rel="${file#"$src"/}"
    module="${rel%%/*}"
    module="${module%.rs}"
    case "$module" in main | lib | cli) continue ;; esac
    if [ -z "${may_use[$module]+set}" ]; then
        echo "check-layers: $rel: module '$module' has no line in scripts/check-layers.sh (say which layers it may use)" >&2
        status=1
        continue
    fi
    while read -r line used; do
        [ -n "$used" ] || continue
        if [ "${used:0:1}" = "!" ]; then
            echo "check-layers: src/$rel:$line: '${used:1}' hides which module is used: name it, as crate::MODULE::..." >&2
            status=1
            continue
        fi
        [ "$used" = "$module" ] && continue
        seen["$module $used"]=1
        case " ${may_use[$module]} " in
            *" $used "*) ;;
            *)
                echo "check-layers: src/$rel:$line: $module uses crate::$used, which is not below it (it may use: ${may_use[$module]:-nothing of finsam})" >&2
                status=1
                ;;
        esac
    done < <(uses_of "$file")
done < <(find "$src" -name '*.rs' | sort)

if [ "${1:-}" = --list ]; then
    for key in "${!seen[@]}"; do echo "$key"; done | sort | awk '{a[$1]=a[$1]" "$2} END {for (m in a) print m ":" a[m]}' | sort
fi
[ $status -eq 0 ] && echo "check-layers: every core module uses only the layers below it"
exit $status
