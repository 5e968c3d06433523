# tests/run.d/007-bridge-compare.sh - bridge, sensitivity and compare.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

mtfs bridge scenarios/leics_2025_central.cfg --format csv >"$TMP/bridge.csv" 2>"$TMP/err"
check "bridge exits 0" test $? = 0
check "bridge items sum to the gap (1e-9)" awk -F, '
    $1 == "gap" { gap = $4 }
    $3 == "spending" || $3 == "funding" || ($3 == "base" && $1 != "base_budget") { sum += $4 }
    END { d = sum - gap; if (d < 0) d = -d; exit !(NR == 21 && d < 1e-9 * 800) }' "$TMP/bridge.csv"
mtfs bridge scenarios/leics_2025_central.cfg >"$TMP/bridge.txt"
check "bridge table ends with the gap" grep -qx 'Funding gap                                        90.7' "$TMP/bridge.txt"
check "balanced base year shows no imbalance line" bash -c "! grep -q 'Base-year imbalance' '$TMP/bridge.txt'"
mtfs bridge scenarios/leics_2020_covid.cfg --year 2020/21 >"$TMP/bridge2.txt"
check "bridge to 2020/21 shows Covid costs" grep -q '^  Covid costs and lost income  *+90.0$' "$TMP/bridge2.txt"
expect_status 2 "bridge to a year outside the projection" bridge scenarios/leics_2025_central.cfg --year 2035
check "bridge year message" grep -qx "mtfs: --year '2035' is not a year of the projection (expected 2025/26 to 2028/29)" "$TMP/err"
mtfs sensitivity scenarios/leics_2025_central.cfg --format csv >"$TMP/sens.csv"
check "sensitivity has a row per change" test "$(wc -l <"$TMP/sens.csv")" = 13
check "council tax +1 point narrows the gap" awk -F, '$1 == "council_tax" { exit !($NF < -10) } END {}' "$TMP/sens.csv"
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
