# tests/run.d/016-backtest.sh - the back-test of the published MTFS editions.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

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
    grep -Eq '^2020,2023,2023/24,3,11\.9,[^,]*,39,38\.75[0-9]*,[^,]*,[^,]*,512\.1[0-9]*,421\.7' "$TMP/backtest.csv"
mtfs backtest >"$TMP/backtest.txt"
check "backtest table: funding error by years ahead" grep -q '^3  *5  *-15.2%' "$TMP/backtest.txt"
check "backtest table: a lower bound shows as >100.0, met" \
    grep -Eq '^gap published +0\.0 +- +- +>90\.0 +>100\.0$' "$TMP/backtest.txt"
check "backtest table: met bounds are no error" grep -Eq '^  error +0\.0 +- +- +met +met$' "$TMP/backtest.txt"
check "backtest table: the 2023/24 edition's worst error is 0.0%" grep -q '2023/24 0\.0%, 2024/25' "$TMP/backtest.txt"
check "backtest table: nothing prints as -0.0" test "$(grep -c -- ' -0\.0' "$TMP/backtest.txt")" = 0
mtfs backtest -o "$TMP/bt" >/dev/null
check "backtest -o writes the CSV and both charts" \
    test -s "$TMP/bt/backtest.csv" -a -s "$TMP/bt/backtest_gaps.png" -a -s "$TMP/bt/backtest_funnel.png"
expect_status 2 "backtest of a missing directory" backtest no/such/dir
check "backtest directory message" grep -qx "no/such/dir: cannot open the editions directory (expected a directory of edition scenarios such as scenarios/editions)" "$TMP/err"
