# tests/run.d/008-batch.sh - batch and --fail-if conditions.
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, $TMP).

mtfs batch scenarios >"$TMP/batch.txt" 2>"$TMP/err"
check "batch of good scenarios exits 0" test $? = 0
n_shipped=$(find scenarios -maxdepth 1 -name '*.cfg' | wc -l)
check "batch summary counts them ($n_shipped)" grep -qx "$n_shipped scenarios: $n_shipped ok, 0 failed, 0 error" "$TMP/batch.txt"
mtfs batch scenarios/leics_2025_*.cfg --fail-if 'gap[2028] > 100' >"$TMP/batch.txt" 2>"$TMP/err"
check "a crossed threshold exits 1" test $? = 1
check "the failure names scenario, condition and value" \
    grep -qx 'FAIL scenarios/leics_2025_high_inflation.cfg: gap\[2028\] > 100: gap\[2028\] = 137.3' "$TMP/batch.txt"
mtfs batch scenarios --fail-if 'gap[2028] > 100' >"$TMP/batch.txt" 2>"$TMP/err"
check "a condition's year outside a scenario is bad input (exit 2)" test $? = 2
check "scenarios without 2028 are an error, not a pass" \
    grep -q "^ERROR scenarios/leics_2020_covid.cfg: condition 'gap\[2028\] > 100': the scenario projects 2020/21 to 2023/24" "$TMP/batch.txt"
mtfs batch scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg \
    --fail-if 'below_minimum_year <= 2026' --fail-if 'final_gap >= 150' >"$TMP/batch.txt"
check "two conditions, one scenario crosses both" test "$(grep -c '^FAIL scenarios/leics_2025_ct_freeze.cfg' "$TMP/batch.txt")" = 2
mtfs batch scenarios/leics_2025_central.cfg --fail-if 'exhausted_year == none' >/dev/null
check "exhausted_year == none does not hold when reserves run out" test $? = 0
for bad_condition in 'gap[2028] >> 5|expected an operator <, <=, >, >= or == (found '"'"'>>'"'"')' \
                     'gapp[2028] > 5|unknown quantity '"'"'gapp'"'"' (did you mean '"'"'gap'"'"'?); expected gap[YEAR], reserves[YEAR], covid_pressure[YEAR], cumulative_gap, final_gap, below_minimum_year or exhausted_year' \
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
check "the rest still ran" grep -qx '3 scenarios: 2 ok, 0 failed, 1 error' "$TMP/batch.txt"
check "batch -o writes the CSV summary" test "$(wc -l <"$TMP/batch/batch_summary.csv")" = 4
check "batch JSON is valid" python3 -c "import json,sys; d=json.load(open('$TMP/batch/batch_summary.json')); sys.exit(not (len(d['scenarios']) == 3 and d['exit_code'] == 2))"

# A folder with no scenarios is bad input: a wrong path must not pass CI.
mkdir -p "$TMP/no-scenarios"
expect_status 2 "batch on an empty folder" batch "$TMP/no-scenarios"
check "empty folder message" grep -qx "$TMP/no-scenarios: no scenario files in this folder (expected files named \*.cfg)" "$TMP/err"
# With --format json, a failure before any result is still JSON on stdout.
expect_status 2 "bad --fail-if with json" batch scenarios --fail-if bogus --format json
check "bad --fail-if gives a JSON error object" python3 -c "
import json, sys
d = json.load(open('$TMP/out'))
sys.exit(not (d['exit_code'] == 2 and d['metadata']['command'] == 'batch' and len(d['errors']) == 1
              and d['errors'][0].startswith(\"mtfs: condition 'bogus': unknown quantity 'bogus'\")))"
expect_status 2 "json asked after a bad option" run scenarios/leics_2025_central.cfg --bogus --format=json
check "unknown option gives a JSON error object" python3 -c "
import json, sys
d = json.load(open('$TMP/out'))
sys.exit(d['errors'] != [\"mtfs: unknown option '--bogus'\"])"
expect_status 2 "missing file with json" run "$TMP/nope.cfg" --format json
check "missing file gives a JSON error object" python3 -c "
import json, sys; d = json.load(open('$TMP/out')); sys.exit(d['exit_code'] != 2 or not d['errors'])"
# Status and columns: the same names in table, CSV and JSON.
mtfs batch scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg tests/bad/amount_huge.cfg \
    --fail-if 'final_gap > 120' >"$TMP/b.txt" 2>/dev/null
mtfs batch scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg tests/bad/amount_huge.cfg \
    --fail-if 'final_gap > 120' --format csv >"$TMP/b.csv" 2>/dev/null
mtfs batch scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg tests/bad/amount_huge.cfg \
    --fail-if 'final_gap > 120' --format json >"$TMP/b.json" 2>/dev/null
check "batch statuses and columns agree across formats" python3 -c "
import csv, json, sys
rows = list(csv.DictReader(open('$TMP/b.csv')))
doc = json.load(open('$TMP/b.json'))['scenarios']
table = open('$TMP/b.txt').read().splitlines()
head = table[0].split()
want = ['file', 'status', 'final_year', 'final_gap', 'cumulative_gap', 'final_reserves', 'below_minimum_year', 'exhausted_year', 'conditions_failed']
ok = head == want and all(k in rows[0] for k in want) and all(k in doc[0] for k in want)
ok = ok and [r['status'] for r in rows] == [d['status'] for d in doc] == ['ok', 'failed', 'error']
ok = ok and [l.split()[1] for l in table[1:4]] == ['ok', 'failed', 'error']
ok = ok and doc[2]['message'] == rows[2]['message'] and doc[1]['conditions_failed'] == int(rows[1]['conditions_failed']) == 1
ok = ok and table[-1] == '3 scenarios: 1 ok, 1 failed, 1 error'
sys.exit(not ok)"
