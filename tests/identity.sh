#!/usr/bin/env bash
# tests/identity.sh - prove a change leaves every output as it was.
#
#   tests/identity.sh [REV]      (default REV: HEAD)
#
# Builds REV in a temporary git worktree, then runs the same set of commands
# with REV's binary and with the working tree's binary (./build/mtfs, built
# first with `make`): every command over every shipped scenario, edition,
# formula and test file, in every format, with -o (CSV, JSON, metadata,
# charts, workbooks) and the error line of every bad file.  Compares the two
# trees byte for byte and lists what differs.  Exit 0 when identical.
#
# For a refactoring step (issue "One redesign step"): run it before each
# commit.  SOURCE_DATE_EPOCH fixes the time in metadata and workbooks.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
REV=${1:-HEAD}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mtfs-identity.XXXXXX")
cleanup() {
    git worktree remove --force "$WORK/rev" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1767225600 NO_COLOR=1
unset CI MTFS_RESTRICT

make -s -j2 build/mtfs >/dev/null || { echo "identity: the working tree does not build"; exit 2; }
git worktree add --detach -q "$WORK/rev" "$REV" || exit 2
(cd "$WORK/rev" && make -s -j2 BUILD="$WORK/rev/build" "$WORK/rev/build/mtfs" >/dev/null) ||
    { echo "identity: $REV does not build"; exit 2; }

# run_all BINARY OUT: every command, from the repository root of the tree
# being tested (the scenario and data files are the working tree's in both
# runs, so only the program differs).
run_all() {
    local bin=$1 out=$2 n=0
    # -o makes one level of directory, as a user's would: the parent exists.
    mkdir -p "$out/files"
    step() { # step NAME ARGS...: stdout, stderr and exit status of one command
        local name=$1; shift
        n=$((n + 1))
        "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null
        echo $? >"$out/$name.status"
    }
    local scen=(scenarios/*.cfg scenarios/editions/*.cfg tests/good/*.cfg tests/good/inherit/*.cfg
                tests/good/mc/*.cfg tests/good/include/main.cfg)
    for f in "${scen[@]}"; do
        id=$(echo "$f" | tr '/' '_')
        for fmt in table csv json; do step "run-$fmt-$id" run "$f" --format "$fmt"; done
        step "run-o-$id" run "$f" -o "$out/files/run-$id" --xlsx
        step "bridge-$id" bridge "$f"
        step "bridge-csv-$id" bridge "$f" --format csv
        step "bridge-o-$id" bridge "$f" -o "$out/files/bridge-$id"
        step "sensitivity-$id" sensitivity "$f"
        step "sensitivity-csv-$id" sensitivity "$f" --format csv
        step "validate-$id" validate "$f"
    done
    for f in scenarios/leics_2025_uncertainty.cfg tests/good/mc/*.cfg; do
        id=$(echo "$f" | tr '/' '_')
        for fmt in table csv json; do step "mc-$fmt-$id" mc "$f" --paths 2000 -q --format "$fmt"; done
        step "mc-o-$id" mc "$f" --paths 2000 -q -o "$out/files/mc-$id"
        step "tornado-$id" tornado "$f"
        step "tornado-csv-$id" tornado "$f" --format csv
        step "tornado-o-$id" tornado "$f" -o "$out/files/tornado-$id"
    done
    for lever in council_tax savings savings:adults; do
        step "goalseek-$lever" goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever "$lever"
    done
    step compare compare scenarios/leics_2025_*.cfg
    step compare-csv compare scenarios/leics_2025_central.cfg scenarios/leics_2025_savings_70.cfg --format csv
    step compare-o compare scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg -o "$out/files/compare"
    for fmt in table csv json; do
        step "batch-$fmt" batch scenarios --fail-if 'final_gap > 120' --format "$fmt" -o "$out/files/batch-$fmt"
    done
    for f in formulas/*.cfg tests/good/formula/*.cfg; do
        id=$(echo "$f" | tr '/' '_')
        who=Leicestershire
        case $f in tests/*) who=A1 ;; esac
        step "formula-$id" formula "$f" --authority "$who"
        step "formula-csv-$id" formula "$f" --format csv
        step "formula-o-$id" formula "$f" --authority "$who" -o "$out/files/formula-$id"
    done
    step sweep sweep --paths 100
    step sweep-o sweep --paths 100 --steps 3 -o "$out/files/sweep"
    step brief brief scenarios/leics_2025_fair_funding.cfg -o "$out/files/brief"
    step brief-mini brief tests/good/brief_mini.cfg -o "$out/files/brief-mini"
    step backtest backtest -o "$out/files/backtest"
    step backtest-csv backtest --format csv
    for f in scenarios/*.cfg; do
        id=$(echo "$f" | tr '/' '_')
        step "resilience-$id" resilience "$f" --paths 2000
    done
    for f in scenarios/leics_2025_uncertainty.cfg scenarios/leics_2026_section25.cfg; do
        id=$(echo "$f" | tr '/' '_')
        for fmt in csv json; do step "resilience-$fmt-$id" resilience "$f" --paths 2000 --format "$fmt"; done
        step "resilience-o-$id" resilience "$f" --paths 2000 -o "$out/files/resilience-$id" --statement
    done
    for f in tests/bad/*.cfg; do
        id=$(basename "$f" .cfg)
        (cd tests/bad && "$bin" validate "$id.cfg" >"$out/bad-$id.out" 2>"$out/bad-$id.err" </dev/null
         echo $? >"$out/bad-$id.status")
    done
    for f in tests/bad-data/*.cfg; do
        [ -e "$f" ] || continue
        id=$(basename "$f" .cfg)
        step "bad-data-$id" formula "$f" --authority A1
    done
    step help --help
    for c in run validate compare bridge sensitivity batch mc tornado goalseek formula sweep brief backtest resilience; do
        step "help-$c" "$c" --help
    done
    echo "$n commands" >"$out/count"
}

run_all "$WORK/rev/build/mtfs" "$WORK/before"
run_all "$ROOT/build/mtfs" "$WORK/after"
# The outputs name the directory they were written to only through -o paths,
# which differ between the two runs: make them the same before comparing.
for side in before after; do
    grep -rlF "$WORK/$side" "$WORK/$side" 2>/dev/null | while IFS= read -r f; do
        sed -i "s|$WORK/$side|OUT|g" "$f"
    done
done
# --help names the tree each build finds the shipped files in (the one it
# was built in: REV's worktree, this tree): the same files, two names.
for side in before:"$WORK/rev" after:"$ROOT"; do
    tree=${side#*:} side=${side%%:*}
    grep -rlF "$tree" "$WORK/$side" 2>/dev/null | while IFS= read -r f; do
        sed -i "s|$tree|SRC|g" "$f"
    done
done
# A workbook records when it was made (docProps/core.xml): compare its
# other parts, the sheets and styles.
find "$WORK/before" "$WORK/after" -name '*.xlsx' -print0 | xargs -0 -r python3 -c '
import sys, zipfile
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as z:
        parts = [(n, z.read(n)) for n in sorted(z.namelist()) if n != "docProps/core.xml"]
    with open(path, "wb") as out:
        for name, data in parts:
            out.write(name.encode() + b"\n" + data + b"\n")
'
if diff -r -q "$WORK/before" "$WORK/after" >"$WORK/diff"; then
    echo "identity: $(cat "$WORK/after/count") and their files are byte-identical to $REV"
    exit 0
fi
sed "s|$WORK/||g" "$WORK/diff" >"${TMPDIR:-/tmp}/mtfs-identity.diff"
echo "identity: $(wc -l <"$WORK/diff") outputs differ from $REV (all in ${TMPDIR:-/tmp}/mtfs-identity.diff):"
head -50 "${TMPDIR:-/tmp}/mtfs-identity.diff"
exit 1
