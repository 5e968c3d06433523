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
# The suite chooses its own input restriction: CI=true would otherwise
# restrict every batch to the checkout (tests/run.d/10-inputs.sh tests that).
unset CI MTFS_RESTRICT
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
for cfg in scenarios/*.cfg scenarios/editions/*.cfg; do
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
check "unknown command message" grep -qx "mtfs: unknown command 'rn' (expected run, validate, compare, bridge, sensitivity, batch, mc, tornado, goalseek, formula, brief or backtest)" "$TMP/err"
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

# --- bridge, sensitivity, compare ------------------------------------------
mtfs bridge scenarios/leics_2025_central.cfg --format csv >"$TMP/bridge.csv" 2>"$TMP/err"
check "bridge exits 0" test $? = 0
check "bridge items sum to the gap (1e-9)" awk -F, '
    $1 == "gap" { gap = $4 }
    $3 == "spending" || $3 == "funding" || ($3 == "base" && $1 != "base_budget") { sum += $4 }
    END { d = sum - gap; if (d < 0) d = -d; exit !(NR == 19 && d < 1e-9 * 800) }' "$TMP/bridge.csv"
mtfs bridge scenarios/leics_2025_central.cfg >"$TMP/bridge.txt"
check "bridge table ends with the gap" grep -qx 'Funding gap                                        90.7' "$TMP/bridge.txt"
check "balanced base year shows no imbalance line" bash -c "! grep -q 'less base-year funding' '$TMP/bridge.txt'"
mtfs bridge scenarios/leics_2020_covid.cfg --year 2020/21 >"$TMP/bridge2.txt"
check "bridge to 2020/21 shows Covid costs" grep -q '^  Covid costs and lost income  *+90.0$' "$TMP/bridge2.txt"
expect_status 2 "bridge to a year outside the projection" bridge scenarios/leics_2025_central.cfg --year 2035
check "bridge year message" grep -qx "mtfs: --year '2035' is not a year of the projection (expected 2025/26 to 2028/29)" "$TMP/err"
mtfs sensitivity scenarios/leics_2025_central.cfg --format csv >"$TMP/sens.csv"
check "sensitivity has a row per change" test "$(wc -l <"$TMP/sens.csv")" = 13
check "council tax +1 point narrows the gap" awk -F, '$1 == "council_tax" { exit !($4 < -10) } END {}' "$TMP/sens.csv"
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2025_savings_70.cfg >"$TMP/cmp.txt"
check "compare exits 0" test $? = 0
check "compare shows the difference from the first" grep -q '^leics_2025_savings_70 .* +11.1$' "$TMP/cmp.txt"
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2020_covid.cfg --format csv >"$TMP/cmp.csv"
check "compare CSV has one row per scenario and year" test "$(wc -l <"$TMP/cmp.csv")" = 9
expect_status 2 "compare needs two files" compare scenarios/leics_2025_central.cfg
expect_status 2 "compare with a bad scenario" compare scenarios/leics_2025_central.cfg tests/bad/horizon_too_long.cfg
check "compare names the bad file" grep -q '^tests/bad/horizon_too_long.cfg:2: ' "$TMP/err"
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg -o "$TMP/cmp" >/dev/null
check "compare -o writes the CSV and chart" test -s "$TMP/cmp/compare.csv" -a -s "$TMP/cmp/compare.png"

# --- batch and --fail-if ------------------------------------------------------
mtfs batch scenarios >"$TMP/batch.txt" 2>"$TMP/err"
check "batch of good scenarios exits 0" test $? = 0
check "batch summary counts them" grep -qx '10 scenarios: 10 ok, 0 crossed a threshold, 0 bad input' "$TMP/batch.txt"
mtfs batch scenarios/leics_2025_*.cfg --fail-if 'gap[2028] > 100' >"$TMP/batch.txt" 2>"$TMP/err"
check "a crossed threshold exits 1" test $? = 1
check "the failure names scenario, condition and value" \
    grep -qx 'FAIL scenarios/leics_2025_high_inflation.cfg: gap\[2028\] > 100: gap\[2028\] = 137.3' "$TMP/batch.txt"
mtfs batch scenarios --fail-if 'gap[2028] > 100' >"$TMP/batch.txt" 2>"$TMP/err"
check "a condition's year outside a scenario is bad input (exit 2)" test $? = 2
check "scenarios without 2028 are an error, not a pass" \
    grep -q "^ERROR scenarios/leics_2020_covid.cfg: condition 'gap\[2028\] > 100': the scenario projects 2020/21 to 2023/24" "$TMP/batch.txt"
mtfs batch scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg \
    --fail-if 'exhaustion_year <= 2026' --fail-if 'final_gap >= 150' >"$TMP/batch.txt"
check "two conditions, one scenario crosses both" test "$(grep -c '^FAIL scenarios/leics_2025_ct_freeze.cfg' "$TMP/batch.txt")" = 2
mtfs batch scenarios/leics_2025_central.cfg --fail-if 'exhaustion_year == none' >/dev/null
check "exhaustion_year == none does not hold when reserves run out" test $? = 0
for bad_condition in 'gap[2028] >> 5|expected an operator <, <=, >, >= or == (found '"'"'>>'"'"')' \
                     'gapp[2028] > 5|unknown quantity '"'"'gapp'"'"' (did you mean '"'"'gap'"'"'?); expected gap[YEAR], reserves[YEAR], covid_pressure[YEAR], cumulative_gap, final_gap or exhaustion_year' \
                     'gap > 5|gap needs a year, e.g. gap[2028]' \
                     'gap[2028] > lots|expected a number of £m after the operator' \
                     'final_gap[2028] > 5|final_gap takes no year' \
                     'gap[2028/30] > 5|expected a year such as 2028 or 2028/29 inside [ ]'; do
    condition=${bad_condition%%|*}
    message=${bad_condition#*|}
    mtfs batch scenarios --fail-if "$condition" >"$TMP/out" 2>"$TMP/err"
    status=$?
    if [ "$status" = 2 ] && [ "$(cat "$TMP/err")" = "mtfs: condition '$condition': $message" ] && [ ! -s "$TMP/out" ]; then
        pass
    else
        fail "malformed condition '$condition' (exit $status): $(cat "$TMP/err")"
    fi
done
mtfs batch scenarios/leics_2025_central.cfg tests/bad/referendum_breach.cfg scenarios/leics_2025_savings_70.cfg \
    -o "$TMP/batch" >"$TMP/batch.txt" 2>"$TMP/err"
check "one bad scenario in a batch exits 2" test $? = 2
check "the bad scenario is reported on stderr" grep -q '^tests/bad/referendum_breach.cfg:2: key .council_tax.core.' "$TMP/err"
check "the rest still ran" grep -qx '3 scenarios: 2 ok, 0 crossed a threshold, 1 bad input' "$TMP/batch.txt"
check "batch -o writes the CSV summary" test "$(wc -l <"$TMP/batch/batch_summary.csv")" = 4
check "batch JSON is valid" python3 -c "import json,sys; d=json.load(open('$TMP/batch/batch_summary.json')); sys.exit(not (len(d['scenarios']) == 3 and d['exit_code'] == 2))"

# --- JSON and workbook exports ---------------------------------------------------
mtfs run scenarios/leics_2020_covid.cfg --format json >"$TMP/a.json"
mtfs run scenarios/leics_2020_covid.cfg --format json >"$TMP/b.json"
check "run --format json is byte-identical across runs" cmp -s "$TMP/a.json" "$TMP/b.json"
check "JSON holds provenance and the numbers" python3 -c "
import json, sys
d = json.load(open('$TMP/a.json'))
m = d['metadata']
ok = m['engine'] == 'mtfs' and len(m['files']) == 2 and all(len(f['sha256']) == 64 for f in m['files'])
ok = ok and len(d['years']) == 4 and abs(d['years'][0]['covid_pressure'] - 18.0) < 1e-9
ok = ok and abs(sum(d['bridge'].values()) - d['years'][-1]['gap']) < 1e-9
sys.exit(not ok)"
mtfs run scenarios/leics_2025_central.cfg -o "$TMP/xl" --xlsx >/dev/null 2>"$TMP/err"
check "run -o --xlsx writes a workbook" test -s "$TMP/xl/leics_2025_central.xlsx"
check "the workbook has the five sheets" python3 -c "
import zipfile, re, sys
z = zipfile.ZipFile('$TMP/xl/leics_2025_central.xlsx')
names = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
sys.exit(names != ['Summary', 'Services', 'Funding', 'Bridge', 'Inputs'])"
expect_status 2 "--xlsx needs -o" run scenarios/leics_2025_central.cfg --xlsx

# --- Monte Carlo, tornado, goal seek ------------------------------------------
U=scenarios/leics_2025_uncertainty.cfg
for threads in 1 2 4; do
    mtfs mc "$U" --paths 5000 --threads $threads --format csv >"$TMP/mc$threads.csv" 2>"$TMP/err$threads"
    check "mc --threads $threads exits 0" test $? = 0
    mtfs mc "$U" --paths 5000 --threads $threads --format json >"$TMP/mc$threads.json"
done
check "mc CSV is byte-identical for 1 and 2 threads" cmp -s "$TMP/mc1.csv" "$TMP/mc2.csv"
check "mc CSV is byte-identical for 1 and 4 threads" cmp -s "$TMP/mc1.csv" "$TMP/mc4.csv"
check "mc JSON is byte-identical for 1 and 4 threads" cmp -s "$TMP/mc1.json" "$TMP/mc4.json"
check "mc prints no progress bar when stderr is not a terminal" test ! -s "$TMP/err2"
check "mc CSV has a row per year" test "$(wc -l <"$TMP/mc1.csv")" = 5
check "mc CSV reports the thresholds of the file" grep -q ',p_gap_above_50,p_gap_above_100$' "$TMP/mc1.csv"
check "mc JSON records seed and paths" python3 -c "
import json, sys
m = json.load(open('$TMP/mc1.json'))['metadata']
sys.exit(not (m['seed'] == 20250226 and m['paths'] == 5000 and 'threads' not in m))"
mtfs mc "$U" --paths 5000 --seed 99 --threshold 80 --format csv >"$TMP/mc99.csv"
check "another seed changes the numbers" bash -c "! cmp -s '$TMP/mc1.csv' '$TMP/mc99.csv'"
check "--threshold replaces the file's thresholds" grep -q ',p_gap_above_80$' "$TMP/mc99.csv"
mtfs mc "$U" --paths 3000 >"$TMP/mc.txt"
check "mc table states the chance of falling below the minimum" \
    grep -q '^Chance that reserves fall below the minimum by 2028/29: ' "$TMP/mc.txt"
mtfs mc "$U" --paths 3000 -o "$TMP/mcout" --quiet >/dev/null
for f in leics_2025_uncertainty_mc.csv leics_2025_uncertainty_mc.json leics_2025_uncertainty_fan.png \
         leics_2025_uncertainty_exhaustion.png; do
    check "mc -o writes $f" test -s "$TMP/mcout/$f"
done
expect_status 2 "mc without an uncertainty block" mc scenarios/leics_2025_central.cfg
check "mc without uncertainty says so" grep -q '^scenarios/leics_2025_central.cfg: has no uncertainty block' "$TMP/err"
expect_status 2 "mc --paths 0" mc "$U" --paths 0
check "mc --paths message" grep -qx "mtfs: --paths '0' is not a whole number from 1 to 100000000" "$TMP/err"
expect_status 2 "mc --threads 0" mc "$U" --threads 0
mtfs tornado "$U" --format csv >"$TMP/tornado.csv"
check "tornado has a row per uncertain input" test "$(wc -l <"$TMP/tornado.csv")" = 11
check "tornado is sorted by swing" bash -c "tail -n +2 '$TMP/tornado.csv' | cut -d, -f6 | sort -g -r -c"
mtfs tornado "$U" -o "$TMP/tor" >/dev/null
check "tornado -o writes the chart" test -s "$TMP/tor/leics_2025_uncertainty_tornado.png"
mtfs goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever council_tax >"$TMP/gs.txt"
check "goalseek exits 0" test $? = 0
check "goalseek names the rise" grep -q '^Smallest council-tax rise: 9.6163% a year from 2025/26' "$TMP/gs.txt"
check "goalseek reports the referendum limit" grep -q '^This breaks the referendum limit of 4.99%' "$TMP/gs.txt"
mtfs goalseek scenarios/leics_2025_central.cfg --target 'gap[2026/27] <= 0' --lever savings:adults --from 2026 >"$TMP/gs2.txt"
check "goalseek finds a service saving" grep -q '^Smallest recurring saving: £37.943m a year from 2026/27, adults' "$TMP/gs2.txt"
expect_status 2 "goalseek needs a target" goalseek scenarios/leics_2025_central.cfg --lever council_tax
expect_status 2 "goalseek with a bad lever" goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever rates
check "goalseek lever message" grep -qx "mtfs: unknown lever 'rates' (expected council_tax, savings or savings:SERVICE)" "$TMP/err"
expect_status 2 "goalseek with a bad --from" goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever savings --from 2026/28

# --- the authority data set (issue 6) -----------------------------------------
check "data/authorities.csv is well formed" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('data/authorities.csv', newline='', encoding='utf-8')))
codes = [r['code'] for r in rows]
ok = len(rows) > 150 and len(set(codes)) == len(codes)
ok = ok and all(r['code'] and r['name'] and r['type'] in ('county', 'unitary', 'metropolitan', 'london') for r in rows)
ok = ok and all(r['status'] in ('current', 'historic') for r in rows)
leics = [r for r in rows if r['code'] == 'E10000018'][0]
ok = ok and leics['core_spending_power_m'] == '418.42' and leics['csp_year'] == '2020-21'
current = [r for r in rows if r['status'] == 'current' and r['population']]
ok = ok and abs(sum(int(r['population']) for r in current) - 56536419) < 1
for r in rows:
    for col in (r['estimated'] or '').split(';'):
        ok = ok and (not col or col in r)
sys.exit(not ok)"

# --- fair-funding formulas --------------------------------------------------------
mtfs formula formulas/per_head_average.cfg --authority E10000018 >"$TMP/formula.txt"
check "formula exits 0" test $? = 0
check "formula sums Leicestershire up in words" \
    grep -q '^Leicestershire: £418.4m now, £481.0m under this formula (+£62.6m a year, +15.0%)' "$TMP/formula.txt"
check "formula marks the authority" grep -q '^> Leicestershire ' "$TMP/formula.txt"
mtfs formula formulas/leicestershire_model.cfg --format csv >"$TMP/formula.csv"
check "formula CSV: one row per county of 2020-21" test "$(wc -l <"$TMP/formula.csv")" = 26
check "formula CSV keeps the control total" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('$TMP/formula.csv')))
sys.exit(abs(sum(float(r['final']) for r in rows) - sum(float(r['baseline']) for r in rows)) > 1e-6)"
expect_status 2 "formula with an unknown authority" formula formulas/status_quo.cfg --authority Atlantis
check "formula authority message" grep -qx "mtfs: --authority 'Atlantis' is not in the formula's scope (expected a code such as E10000018 or a name)" "$TMP/err"
printf 'name = "bad";\ndata = "../../data/mini.csv";\nbaseline = "baseline";\nblocks = ( { name = "x"; weight = 1.0; drivers = { populaton = 1.0; }; } );\n' >tests/good/formula/.bad.cfg
expect_status 2 "formula with an unknown column" formula tests/good/formula/.bad.cfg
check "formula column message suggests the nearest" \
    grep -qx "tests/good/formula/.bad.cfg:4: key 'blocks\[1\].drivers.populaton': no column 'populaton' in the data (did you mean 'population'?)" "$TMP/err"
rm -f tests/good/formula/.bad.cfg
mtfs formula formulas/ffr_like.cfg --authority Leicestershire -o "$TMP/ffr" >/dev/null
check "formula -o writes the CSV and the winners-and-losers chart" \
    test -s "$TMP/ffr/ffr_like.csv" -a -s "$TMP/ffr/ffr_like.png"
check "formula -o CSV equals --format csv" bash -c "'$MTFS' formula formulas/ffr_like.cfg --format csv | cmp -s - '$TMP/ffr/ffr_like.csv'"

# --- crash safety: runs killed with SIGKILL while writing -------------------------------
# Outputs are complete or untouched: after every kill each file is byte-identical to
# the previous run's (the run is deterministic; the metadata and the workbook, which
# record when they were made, must be complete), and no temporary file is left.
kdir="$TMP/kill"
"$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1
cp -r "$kdir" "$TMP/kill.before"
intact=1
for delay in 0.005 0.01 0.02 0.03 0.05 0.08 0.1 0.13 0.16 0.2 0.25 0.3; do
    "$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for f in "$TMP/kill.before"/*; do
        g="$kdir/$(basename "$f")"
        case "$g" in
        *.meta.json) # records when it was made: complete JSON is the test
            python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$g" 2>/dev/null ;;
        *.xlsx)      # the workbook records its creation time: a complete zip is the test
            python3 -c "import zipfile, sys; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)" "$g" 2>/dev/null ;;
        *)           cmp -s "$f" "$g" ;;
        esac || { intact=0; echo "    after a kill at ${delay}s: $(basename "$f") is not complete"; }
    done
    if [ -n "$(ls -A "$kdir" | grep '^\.')" ]; then
        # Only a kill between naming a finished file and renaming it can leave one;
        # the next run removes it (checked below).
        "$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1
    fi
done
check "SIGKILL at 12 moments: every output complete or as before" test "$intact" = 1
check "SIGKILL: no temporary files remain" test -z "$(ls -A "$kdir" | grep '^\.')"
touch "$kdir/.leics_2025_central.csv.tmp.2147483646.000001" "$kdir/.leics_2025_central.csv.tmp.$$.000001"
"$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" >/dev/null 2>&1
check "a dead run's temporary file is removed by the next run" \
    test ! -e "$kdir/.leics_2025_central.csv.tmp.2147483646.000001"
check "a live process's temporary file is left alone" test -e "$kdir/.leics_2025_central.csv.tmp.$$.000001"
rm -f "$kdir/.leics_2025_central.csv.tmp.$$.000001"

# --- fault injection through the command: allocations of a full run fail in turn --------
# Each failure must be exit 3 with one "out of memory" line, leave the previous outputs as
# they were and leave no temporary file.  Every 5th of the run's ~1,800 allocations (every
# 100th under valgrind); the unit tests sweep every allocation of load and projection.
fdir="$TMP/fault"
"$MTFS" run scenarios/leics_2025_fair_funding.cfg -o "$fdir" >/dev/null 2>&1
cp -r "$fdir" "$TMP/fault.before"
step=5
[ -n "$WRAP" ] && step=100
clean=1 n=1 reached=0
while [ $n -lt 100000 ]; do
    MTFS_FAULT_ALLOC_AFTER=$n $WRAP "$MTFS" run scenarios/leics_2025_fair_funding.cfg -o "$fdir" \
        >/dev/null 2>"$TMP/fault.err"
    status=$?
    if [ $status = 0 ]; then reached=1; break; fi
    if [ $status != 3 ] || ! grep -q 'out of memory' "$TMP/fault.err" || \
       [ -n "$(ls -A "$fdir" | grep '^\.')" ]; then
        clean=0; echo "    allocation $n: exit $status: $(head -1 "$TMP/fault.err")"; break
    fi
    for f in "$TMP/fault.before"/*; do
        case "$f" in *.meta.json) continue ;; esac
        cmp -s "$f" "$fdir/$(basename "$f")" || { clean=0; echo "    allocation $n: $(basename "$f") changed"; }
    done
    [ $clean = 1 ] || break
    n=$((n + step))
done
check "every failed allocation of run -o is a clean exit 3 that keeps the outputs" \
    test "$clean$reached" = 11

# --- fuzz regressions: every input make fuzz ever crashed on, replayed ---------------
if [ -n "${REPLAY:-}" ]; then
    for h in scenario formula table condition; do
        inputs=(tests/fuzz/regressions/$h/*)
        [ -e "${inputs[0]}" ] || continue
        $WRAP "${REPLAY}$h" "${inputs[@]}" >"$TMP/replay.out" 2>"$TMP/err"
        check "fuzz regressions of $h replay cleanly (${#inputs[@]} inputs)" test $? = 0
    done
fi

# --- back-test of the published MTFS editions ---------------------------------------
mtfs backtest --format csv >"$TMP/backtest.csv" 2>"$TMP/err"
check "backtest exits 0" test $? = 0
check "backtest CSV: one row per edition and year (7 x 4 + 5)" test "$(wc -l <"$TMP/backtest.csv")" = 34
# Each edition reproduces its published gaps within 1% of that year's net budget.  A lower
# bound (the 2023 edition's "more than £90m" and "could exceed £100m") must only be cleared,
# and is flagged in the CSV; exactly those two rows are.
check "backtest: every published gap within 1% of the net budget" python3 -c "
import csv, sys
bad = []
for r in csv.DictReader(open('$TMP/backtest.csv')):
    if not r['published_gap']:
        continue
    if r['published_gap_is_lower_bound'] == '1':
        if float(r['modelled_gap']) < float(r['published_gap']) or float(r['gap_error']) != 0: bad.append(r)
    elif abs(float(r['gap_error_share'])) > 0.01:
        bad.append(r)
sys.exit(1 if bad else 0)"
check "backtest CSV: the lower bounds are the 2023 edition's 2026/27 and 2027/28" \
    test "$(grep -c ',1$' "$TMP/backtest.csv")" = 2 -a "$(grep -E '^2023,202[67],.*,1$' "$TMP/backtest.csv" | wc -l)" = 2
check "backtest: the 2020 edition's 2023/24 projection against the 512.1 set" \
    grep -Eq '^2020,2023,2023/24,3,39,38\.75[0-9]*,[^,]*,[^,]*,512\.1[0-9]*,421\.3' "$TMP/backtest.csv"
mtfs backtest >"$TMP/backtest.txt"
check "backtest table: funding error by years ahead" grep -q '^3  *5  *-15.3%' "$TMP/backtest.txt"
check "backtest table: a lower bound shows as >100.0, met" \
    grep -Eq '^gap published +0\.0 +- +- +>90\.0 +>100\.0$' "$TMP/backtest.txt"
check "backtest table: met bounds are no error" grep -Eq '^  error +\+0\.0 +- +- +met +met$' "$TMP/backtest.txt"
check "backtest table: the 2023/24 edition's worst error is 0.0%" grep -q '2023/24 0\.0%, 2024/25' "$TMP/backtest.txt"
check "backtest table: nothing prints as -0.0" test "$(grep -c -- ' -0\.0' "$TMP/backtest.txt")" = 0
mtfs backtest -o "$TMP/bt" >/dev/null
check "backtest -o writes the CSV and both charts" \
    test -s "$TMP/bt/backtest.csv" -a -s "$TMP/bt/backtest_gaps.png" -a -s "$TMP/bt/backtest_funnel.png"
expect_status 2 "backtest of a missing directory" backtest no/such/dir
check "backtest directory message" grep -qx "no/such/dir: cannot open the editions directory (expected a directory of edition scenarios such as scenarios/editions)" "$TMP/err"

# --- scenario reform and the lobbying brief ------------------------------------------
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2025_fair_funding.cfg >"$TMP/reform.txt"
check "compare shows the gap with and without reform" grep -q '^leics_2025_fair_funding .* -68.6$' "$TMP/reform.txt"
mtfs brief scenarios/leics_2025_fair_funding.cfg >"$TMP/brief.md" 2>"$TMP/err"
check "brief exits 0" test $? = 0
check "brief: funded like Surrey" grep -qxF '| Surrey | 1,205,616 | £919.3m | £763 | +£124.9m |' "$TMP/brief.md"
check "brief: the England average" \
    grep -qxF '| England: all upper-tier authorities (147 authorities) | 55,191,143 | £41,949.7m | £760 | +£123.2m |' "$TMP/brief.md"
check "brief: the gap without reform" grep -qxF '| Without reform | 5.6 | 37.9 | 63.5 | 90.7 |' "$TMP/brief.md"
check "brief: the data row is traced" \
    grep -qF '  - line 25: E10000030 Surrey, population 1,205,616, core spending power £919.29m' "$TMP/brief.md"
check "brief without -o references no chart" bash -c "! grep -q '!\[' '$TMP/brief.md'"
mtfs brief scenarios/leics_2025_fair_funding.cfg -o "$TMP/brief" >/dev/null
check "brief -o writes brief.md and its two charts" \
    test -s "$TMP/brief/brief.md" -a -s "$TMP/brief/brief_per_head.png" -a -s "$TMP/brief/brief_formula.png"
check "brief.md references its charts" test "$(grep -c '^!\[.*\](brief_.*\.png)$' "$TMP/brief/brief.md")" = 2
mtfs brief scenarios/leics_2025_fair_funding.cfg -o "$TMP/brief2" >/dev/null
check "brief is byte-identical on a rerun" cmp -s "$TMP/brief/brief.md" "$TMP/brief2/brief.md"
expect_status 2 "brief needs a fair_funding block" brief scenarios/leics_2025_central.cfg
check "brief message names the block" \
    grep -q "^scenarios/leics_2025_central.cfg: key 'fair_funding': a brief needs a fair_funding block" "$TMP/err"

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

# --- further sections, one file per concern (sourced: they share pass/fail) ---
for part in tests/run.d/*.sh; do
    [ -e "$part" ] || continue
    # shellcheck source=/dev/null
    . "$part"
done

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
