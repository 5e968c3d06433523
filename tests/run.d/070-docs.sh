# tests/run.d/070-docs.sh - mtfs works from anywhere and its documentation is true: mc's
# thread default, the man page against every --help, the installed share directory, and
# every command shown in README.md and docs/ run as shown.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP, $ROOT).

# --- mc: every online core by default -------------------------------------------------
# The memory a run needs grows with its threads (each keeps one number a path), so the
# refusal message tells which count the default chose.  The results themselves are the
# same for any count (tests/run.d/010-uncertainty.sh).
cores=$(getconf _NPROCESSORS_ONLN)
[ "$cores" -gt 64 ] && cores=64
mtfs mc tests/good/mc/tiny.cfg --paths 100000000 --max-memory 1 -q >/dev/null 2>"$TMP/mc-default.err"
mtfs mc tests/good/mc/tiny.cfg --paths 100000000 --max-memory 1 -q --threads "$cores" \
    >/dev/null 2>"$TMP/mc-cores.err"
check "mc: --threads defaults to the $cores online cores" cmp -s "$TMP/mc-default.err" "$TMP/mc-cores.err"
check "mc --help: the thread default" grep -q 'threads K .*(default: one per online core)' \
    <(mtfs mc --help)

# --- shipped files: found from anywhere -------------------------------------------------
# make install puts data, formulas and scenarios under PREFIX/share/mtfs; the installed
# mtfs finds them from any directory (mtfs(1) FILES).  The binary installed is the one
# under test (BUILD is its directory), so nothing is rebuilt.
mtfs backtest --format csv >"$TMP/bt-repo.csv"
build_dir=${MTFS%/mtfs}
case $build_dir in
"$ROOT") build_dir=build ;;
"$ROOT"/*) build_dir=${build_dir#"$ROOT"/} ;;
*) build_dir= ;;
esac
if [ -n "$build_dir" ] && [ -x "$ROOT/$build_dir/mtfs" ]; then
    make -s -C "$ROOT" install BUILD="$build_dir" PREFIX="$TMP/p" >"$TMP/install.log" 2>&1
    check "make install PREFIX=... works" test $? = 0
    check "make install ships the data, formulas and scenarios" test \
        -s "$TMP/p/share/mtfs/data/authorities.csv" -a -s "$TMP/p/share/mtfs/data/published/economy_outturn.csv" \
        -a -s "$TMP/p/share/mtfs/formulas/ffr_like.cfg" -a -s "$TMP/p/share/mtfs/scenarios/editions/leics_2019.cfg" \
        -a -s "$TMP/p/share/mtfs/scenarios/leics_2025_fair_funding.cfg"
    mkdir -p "$TMP/elsewhere"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" backtest --format csv) >"$TMP/bt-installed.csv" 2>"$TMP/err"
    check "installed mtfs backtest from another directory exits 0" test $? = 0
    check "installed backtest: the same CSV as in the repository" cmp -s "$TMP/bt-installed.csv" "$TMP/bt-repo.csv"
    # A shipped scenario by its relative name (it names ../formulas/..., which names ../data/...).
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_fair_funding.cfg --format csv) \
        >"$TMP/ff-installed.csv" 2>"$TMP/err"
    check "installed mtfs runs a shipped scenario from another directory" test $? = 0
    mtfs run scenarios/leics_2025_fair_funding.cfg --format csv >"$TMP/ff-repo.csv"
    check "installed scenario: the same projection" cmp -s "$TMP/ff-installed.csv" "$TMP/ff-repo.csv"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_fair_funding.cfg) >"$TMP/out" 2>&1
    check "installed scenario: the header names the shipped file" \
        grep -qx "Scenario file $TMP/p/share/mtfs/scenarios/leics_2025_fair_funding.cfg; base year 2024/25; projection in £m." "$TMP/out"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/no_such.cfg) >"$TMP/out" 2>"$TMP/err"
    check "a file in neither place: the error names it as given" \
        grep -qx "scenarios/no_such.cfg: cannot open: No such file or directory" "$TMP/err"
    # A file of the current directory comes first.
    mkdir -p "$TMP/elsewhere/scenarios"
    sed 's/^name = .*/name = "Local copy";/' scenarios/leics_2025_central.cfg >"$TMP/elsewhere/scenarios/leics_2025_central.cfg"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_central.cfg) >"$TMP/out" 2>&1
    check "a file in the current directory comes before the shipped one" grep -qx "Local copy" "$TMP/out"
    make -s -C "$ROOT" uninstall BUILD="$build_dir" PREFIX="$TMP/p" >>"$TMP/install.log" 2>&1
    check "make uninstall removes the shipped files" test ! -e "$TMP/p/share/mtfs" -a ! -e "$TMP/p/bin/mtfs"
fi
# The command run from its source tree finds the tree's files too.
(cd "$TMP" && $WRAP "$MTFS" backtest --format csv) >"$TMP/bt-elsewhere.csv" 2>"$TMP/err"
check "mtfs backtest run from another directory finds the source tree's data" \
    cmp -s "$TMP/bt-elsewhere.csv" "$TMP/bt-repo.csv"

# --- the man page: every option of every --help has its entry; it renders cleanly ---------
# An entry is a .TP paragraph whose tag names the option (\-\-name).
commands=$(mtfs --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 != "help" && NF { print $1 }')
check "mtfs --help lists the twelve commands" test "$(echo $commands | wc -w)" -ge 12
: >"$TMP/help-options"
for c in $commands; do
    mtfs "$c" --help | grep -oE -- '--[a-z][a-z-]+' | sed "s/^/$c /" >>"$TMP/help-options"
done
mtfs --help | grep -oE -- '--[a-z][a-z-]+' | sed 's/^/mtfs /' >>"$TMP/help-options"
awk 'prev == ".TP" { print } { prev = $1 }' docs/mtfs.1 | grep -oE -- '\\-\\-[a-z][a-z\\-]+' |
    sed 's/\\-/-/g' | sort -u >"$TMP/man-options"
missing=$(sort -u "$TMP/help-options" | while read -r c o; do
    grep -qxF -- "$o" "$TMP/man-options" || printf '%s %s; ' "$c" "$o"
done)
check "every option of every --help has an entry in docs/mtfs.1 (missing: $missing)" test -z "$missing"
if command -v groff >/dev/null; then
    for width in 65 78 100; do
        groff -man -Tutf8 -ww -rLL=${width}n -z docs/mtfs.1 >"$TMP/groff.err" 2>&1
        check "docs/mtfs.1 renders at $width columns without a warning: $(head -1 "$TMP/groff.err")" \
            test ! -s "$TMP/groff.err"
    done
fi
if command -v man >/dev/null; then
    MANWIDTH=80 man --warnings -l docs/mtfs.1 2>"$TMP/man.err" >/dev/null
    check "man --warnings -l docs/mtfs.1: no warning: $(head -1 "$TMP/man.err")" test ! -s "$TMP/man.err"
fi
