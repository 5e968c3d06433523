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
