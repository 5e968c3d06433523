#!/usr/bin/env bash
# tests/run.sh - the mtfs test suite: unit tests, then the command line.
#
# Environment: MTFS (the binary), UNIT (the unit-test binary), WRAP (a
# command prefix such as valgrind, applied to every program run).
# Ends with the line "N passed, N failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
MTFS=${MTFS:-$ROOT/mtfs}
UNIT=${UNIT:-$ROOT/build/tests/test_unit}
WRAP=${WRAP:-}
passed=0
failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mtfs-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    local name=$1; shift
    if "$@"; then pass; else fail "$name"; fi
}
mtfs() { $WRAP "$MTFS" "$@"; }

# --- unit tests --------------------------------------------------------
unit_out=$($WRAP "$UNIT" 2>&1)
unit_status=$?
printf '%s\n' "$unit_out" | grep -v '^unit: ' || true
summary=$(printf '%s\n' "$unit_out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$summary" ]; then
    passed=$((passed + ${summary% *}))
    failed=$((failed + ${summary#* }))
    [ "$unit_status" -eq 0 ] || [ "${summary#* }" -ne 0 ] || fail "unit tests exited with $unit_status"
else
    fail "unit tests did not finish (exit $unit_status)"
fi

# --- bad scenarios: one exact line on stderr, exit 2, nothing on stdout --
for cfg in tests/bad/*.cfg; do
    name=$(basename "$cfg" .cfg)
    expected="tests/bad/$name.err"
    if [ ! -f "$expected" ]; then fail "bad/$name: no $expected"; continue; fi
    for command in validate run; do
        (cd tests/bad && $WRAP "$MTFS" $command "$name.cfg" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/status")
        status=$(cat "$TMP/status")
        if [ "$status" != 2 ]; then fail "bad/$name ($command): exit $status, want 2"; continue; fi
        if [ -s "$TMP/out" ]; then fail "bad/$name ($command): wrote to stdout"; continue; fi
        if ! cmp -s "$TMP/err" "$expected"; then
            fail "bad/$name ($command): error differs"
            diff "$expected" "$TMP/err" | sed 's/^/    /'
            continue
        fi
        pass
    done
done

# A bad scenario with -o writes nothing at all.
mkdir -p "$TMP/bad-out"
(cd tests/bad && $WRAP "$MTFS" run referendum_breach.cfg -o "$TMP/bad-out" >/dev/null 2>&1)
check "bad input leaves the output directory empty" test -z "$(ls -A "$TMP/bad-out")"

# --- good scenarios validate --------------------------------------------
for cfg in scenarios/*.cfg tests/good/*.cfg tests/good/inherit/*.cfg tests/good/inherit/sub/*.cfg \
           tests/good/include/main.cfg; do
    if mtfs validate -q "$cfg" >"$TMP/out" 2>"$TMP/err"; then pass; else
        fail "validate $cfg: $(cat "$TMP/err")"
    fi
done
check "validate prints one ok line per file" \
    test "$(mtfs validate scenarios/leics_2025_central.cfg tests/good/hand.cfg | grep -c ': ok: ')" = 2
mtfs validate tests/good/hand.cfg tests/bad/horizon_too_long.cfg >/dev/null 2>&1
check "validate with one bad file exits 2" test $? = 2

# --- golden CSV of every shipped scenario --------------------------------
for cfg in scenarios/*.cfg; do
    id=$(basename "$cfg" .cfg)
    golden="tests/golden/$id.csv"
    if [ ! -f "$golden" ]; then fail "golden: no $golden (make golden, then review)"; continue; fi
    if mtfs run "$cfg" --format csv >"$TMP/$id.csv" 2>"$TMP/err" && cmp -s "$TMP/$id.csv" "$golden"; then
        pass
    else
        fail "golden $id differs from $golden"
        diff "$golden" "$TMP/$id.csv" | head -5 | sed 's/^/    /'
    fi
done

# --- command line: help, version, exit codes -----------------------------
expect_status() { # expect_status WANT NAME ARGS...
    local want=$1 name=$2; shift 2
    mtfs "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" = "$want" ]; then pass; else fail "$name: exit $got, want $want"; fi
}
expect_status 0 "--help" --help
check "--help names the commands" grep -q '^  run FILE' "$TMP/out"
expect_status 0 "--version" --version
check "--version prints the version" grep -qx "mtfs $(sed -n 's/^#define MTFS_VERSION "\(.*\)"/\1/p' include/mtfs/mtfs.h)" "$TMP/out"
expect_status 0 "run --help" run --help
check "run --help shows usage" grep -q '^Usage: mtfs run FILE' "$TMP/out"
expect_status 0 "validate --help" validate --help
expect_status 2 "no command" 
expect_status 2 "unknown command" rn scenarios/leics_2025_central.cfg
check "unknown command message" grep -qx "mtfs: unknown command 'rn' (expected run or validate)" "$TMP/err"
expect_status 2 "unknown option" --frobnicate
expect_status 2 "run without a file" run
expect_status 2 "run with two files" run scenarios/leics_2025_central.cfg tests/good/hand.cfg
expect_status 2 "bad --format" run tests/good/hand.cfg --format xml
check "bad --format message" grep -q "unknown format 'xml' (expected table or csv)" "$TMP/err"
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

# --- run: table and CSV ---------------------------------------------------
mtfs run scenarios/leics_2025_central.cfg >"$TMP/table" 2>"$TMP/err"
check "table exit 0" test $? = 0
check "table has financial-year columns" grep -q '2025/26   2026/27   2027/28   2028/29' "$TMP/table"
check "table has the gap row" grep -q '^Funding gap  ' "$TMP/table"
check "table states the exhaustion year in words" \
    grep -qx 'Reserves fall below the £20.0m minimum in 2027/28, closing that year at -£7.0m; they run out in 2027/28.' "$TMP/table"
check "table shows no NaN or Inf" bash -c "! grep -qiE 'nan|inf' '$TMP/table'"
sed -n '/^\$ .\/mtfs run scenarios\/leics_2025_central.cfg$/,/^```$/p' README.md | sed '1d;$d' >"$TMP/readme"
check "README's worked example is the engine's real output" cmp -s "$TMP/table" "$TMP/readme"
mtfs run tests/good/hand_surplus.cfg >"$TMP/table2"
check "table says when reserves hold" \
    grep -qx 'Reserves fall below the £12.0m minimum in 2025/26, closing that year at £10.0m.' "$TMP/table2"
mtfs run tests/good/flat.cfg >"$TMP/table3"
check "30-year table is split into blocks of 8 years" test "$(grep -c '^Funding gap  ' "$TMP/table3")" = 4
check "zero minimum: reserves run out" \
    grep -qx 'Reserves run out in 2031/32, closing that year at -£143.0m.' "$TMP/table3"
mtfs run scenarios/leics_2025_referendum.cfg >"$TMP/table4"
check "table reports a referendum" grep -q 'above the referendum limit' "$TMP/table4"

mtfs run tests/good/hand.cfg --format csv >"$TMP/a.csv"
mtfs run tests/good/hand.cfg --format csv >"$TMP/b.csv"
check "two runs give byte-identical CSV" cmp -s "$TMP/a.csv" "$TMP/b.csv"
check "CSV columns of model.md section 8 come first, in order" \
    test "$(head -1 "$TMP/a.csv" | cut -d, -f1-13)" = \
    "year,label,expenditure,funding,gap,incremental_gap,cumulative_gap,reserves,council_tax,business_rates,grants,savings_planned,savings_delivered"
check "CSV has one row per year" test "$(wc -l <"$TMP/a.csv")" = 3
check "CSV numbers use %.17g" grep -q '^2025,2025/26,159.89000000000001,125.92939999999999,' "$TMP/a.csv"

# --- run -o: every output file, atomically --------------------------------
out="$TMP/out-dir"
SOURCE_DATE_EPOCH=1764000000 mtfs run scenarios/leics_2025_central.cfg -o "$out" >/dev/null 2>"$TMP/err"
check "run -o exit 0" test $? = 0
for f in leics_2025_central.csv leics_2025_central_services.csv leics_2025_central.meta.json leics_2025_central.png; do
    check "run -o writes $f" test -s "$out/$f"
done
check "no temporary files left" test -z "$(find "$out" -name '.*tmp*')"
check "-o CSV equals --format csv" cmp -s "$out/leics_2025_central.csv" tests/golden/leics_2025_central.csv
check "chart is a PNG" bash -c "head -c 8 '$out/leics_2025_central.png' | od -An -c | grep -q 'P   N   G'"
check "services CSV has a row per service and year" test "$(wc -l <"$out/leics_2025_central_services.csv")" = 25
sha=$(sha256sum scenarios/leics_2025_central.cfg | cut -d' ' -f1)
check "metadata records the scenario's SHA-256" grep -q "\"sha256\": \"$sha\"" "$out/leics_2025_central.meta.json"
check "metadata records the engine version" grep -q '"version": "' "$out/leics_2025_central.meta.json"
check "metadata records the time" grep -q '"created": "2025-11-24T16:00:00Z"' "$out/leics_2025_central.meta.json"
cp "$out/leics_2025_central.meta.json" "$TMP/meta1"
SOURCE_DATE_EPOCH=1764000000 mtfs run scenarios/leics_2025_central.cfg -o "$out" --plot none >/dev/null
check "metadata is reproducible under SOURCE_DATE_EPOCH" cmp -s "$out/leics_2025_central.meta.json" "$TMP/meta1"
mtfs run scenarios/leics_2025_savings_70.cfg -o "$out" --plot none >/dev/null
check "--plot none draws no chart" test ! -e "$out/leics_2025_savings_70.png"
check "inherited scenario lists both files in metadata" \
    test "$(grep -c '"sha256"' "$out/leics_2025_savings_70.meta.json")" = 2
for fmt in svg pdf; do
    mtfs run tests/good/hand.cfg -o "$out" --plot $fmt >/dev/null 2>"$TMP/err"
    check "--plot $fmt writes a chart" test -s "$out/hand.$fmt"
done
check "SVG chart is SVG" grep -q '<svg' "$out/hand.svg"
check "PDF chart is PDF" bash -c "head -c 5 '$out/hand.pdf' | grep -q '%PDF'"
mtfs run tests/good/hand.cfg --plot png >/dev/null 2>&1 &&
    check "--plot without -o writes to plots/" test -s plots/hand.png
rm -f plots/hand.png

# A run that fails while writing leaves the previous outputs as they were.
keep="$TMP/keep"
mkdir -p "$TMP/src"
cp tests/good/hand.cfg "$TMP/src/hand.cfg"
mtfs run "$TMP/src/hand.cfg" -o "$keep" >/dev/null
cp "$keep/hand.csv" "$TMP/hand-before.csv"
sed -i 's/^contingency = 1;/contingency = 2;/' "$TMP/src/hand.cfg"
rm "$keep/hand.png" && mkdir "$keep/hand.png"     # the chart cannot be renamed into place
mtfs run "$TMP/src/hand.cfg" -o "$keep" >/dev/null 2>"$TMP/err"
check "a failed write exits 3" test $? = 3
check "a failed write keeps the previous CSV" cmp -s "$keep/hand.csv" "$TMP/hand-before.csv"
check "a failed write leaves no temporary files" test -z "$(find "$keep" -name '.*tmp*')"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
