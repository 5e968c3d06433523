# tests/run.d/005-cli.sh - the command line: help, version, exit codes and their messages.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

expect_status 0 "--help" --help
check "--help names the commands" grep -q '^  run FILE' "$TMP/out"
expect_status 0 "--version" --version
check "--version prints the version" grep -qx "mtfs $(sed -n 's/^#define MTFS_VERSION "\(.*\)"/\1/p' include/mtfs/version.h)" "$TMP/out"
expect_status 0 "run --help" run --help
check "run --help shows usage" grep -q '^Usage: mtfs run FILE' "$TMP/out"
expect_status 0 "validate --help" validate --help
expect_status 2 "no command" 
expect_status 2 "unknown command" rn scenarios/leics_2025_central.cfg
check "unknown command message" grep -qx "mtfs: unknown command 'rn' (did you mean 'run'? expected run, validate, compare, bridge, sensitivity, batch, mc, merge, tornado, goalseek, formula, sweep, brief, backtest, serve or resilience)" "$TMP/err"
expect_status 2 "unknown option" --frobnicate
expect_status 2 "run without a file" run
expect_status 2 "run with two files" run scenarios/leics_2025_central.cfg tests/good/hand.cfg
expect_status 2 "bad --format" run tests/good/hand.cfg --format xml
check "bad --format message" grep -q "unknown format 'xml' (expected table, csv or json)" "$TMP/err"
expect_status 2 "bad --plot" run tests/good/hand.cfg --plot gif
expect_status 2 "missing scenario file" run tests/no_such.cfg
check "missing file message" grep -qx "tests/no_such.cfg: cannot open: No such file or directory" "$TMP/err"
expect_status 3 "unwritable output directory" run tests/good/hand.cfg -o /proc/mtfs-cannot-write
expect_status 2 "a directory as the scenario" run tests
check "directory message" grep -qx "tests: is a directory (expected a scenario file)" "$TMP/err"
mtfs run tests/good/hand.cfg >/dev/full 2>"$TMP/err"
check "a full standard output exits 3" test $? = 3
check "a full standard output says so" grep -qx "mtfs: cannot write to standard output" "$TMP/err"
mtfs validate tests/good/hand.cfg >/dev/full 2>/dev/null
check "validate to a full standard output exits 3" test $? = 3
