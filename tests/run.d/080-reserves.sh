# tests/run.d/080-reserves.sh - "below the minimum" and "exhausted" (below
# zero) are two years, named apart in every output.  tests/good/hand_reserves.cfg
# by hand: reserves 40 - 33.9606 = 6.0394 in 2025/26 (below the £10m
# minimum, above zero); 6.0394 - 46.45228368 + 1 = -39.41288368 in 2026/27
# (below zero).  Sourced by tests/run.sh (uses check, mtfs, $TMP).

R=tests/good/hand_reserves.cfg
mtfs run "$R" >"$TMP/res.txt"
check "run: the two years in words" \
    grep -qx 'Reserves fall below the £10.0m minimum in 2025/26, closing that year at £6.0m; they run out in 2026/27.' "$TMP/res.txt"
mtfs run "$R" --format json >"$TMP/res.json"
check "run JSON: below_minimum_year 2025, exhausted_year 2026, no exhaustion_year" python3 -c "
import json; d = json.load(open('$TMP/res.json'))
assert d['below_minimum_year'] == 2025 and d['exhausted_year'] == 2026 and 'exhaustion_year' not in d"
mtfs run tests/good/hand_surplus.cfg --format json >"$TMP/res2.json"
check "run JSON: null when reserves never fall below zero" python3 -c "
import json; d = json.load(open('$TMP/res2.json'))
assert d['below_minimum_year'] == 2025 and d['exhausted_year'] is None"

mtfs batch "$R" --format csv >"$TMP/res.csv"
check "batch CSV: both years, by name" python3 -c "
import csv; r = list(csv.DictReader(open('$TMP/res.csv')))[0]
assert (r['below_minimum_year'], r['exhausted_year']) == ('2025', '2026') and 'exhaustion_year' not in r"
mtfs batch "$R" --format json >"$TMP/res-b.json"
check "batch JSON: both years, by name" python3 -c "
import json; r = json.load(open('$TMP/res-b.json'))['scenarios'][0]
assert (r['below_minimum_year'], r['exhausted_year']) == (2025, 2026) and 'exhaustion_year' not in r"
mtfs batch "$R" >"$TMP/res-b.txt"
check "batch table: both columns" \
    grep -q '^tests/good/hand_reserves.cfg  *ok  *2026/27  *46.5  *80.4  *-39.4 2025/26  *2026/27  *0$' "$TMP/res-b.txt"
mtfs compare tests/good/hand.cfg "$R" >"$TMP/res-c.txt"
check "compare: Below min and Exhausted columns" \
    grep -q '^hand_reserves  *34.0  *46.5  *46.5  *80.4  *2025/26  *2026/27  *0.0$' "$TMP/res-c.txt"

mtfs batch "$R" --fail-if 'below_minimum_year <= 2025' >/dev/null
check "below_minimum_year <= 2025 holds (exit 1)" test $? = 1
mtfs batch "$R" --fail-if 'exhausted_year <= 2025' >/dev/null
check "exhausted_year <= 2025 does not hold (exit 0)" test $? = 0
mtfs batch "$R" --fail-if 'exhausted_year == 2026' >/dev/null
check "exhausted_year == 2026 holds (exit 1)" test $? = 1
expect_status 2 "the old name exhaustion_year is bad input" batch "$R" --fail-if 'exhaustion_year <= 2027'
check "exhaustion_year: the message names both new quantities" grep -qx "mtfs: condition 'exhaustion_year <= 2027': 'exhaustion_year' is no longer a quantity: use below_minimum_year (the first year reserves fall below the minimum) or exhausted_year (the first year they fall below zero)" "$TMP/err"

# Monte Carlo: contingency ~ normal(0, 1e-9) leaves every path on the plan,
# so P(below the minimum) is 100% from 2025/26, P(exhausted) 0% then 100%.
cat >"$TMP/res-mc.cfg" <<MC
base = "$PWD/$R";
name = "reserves mc";
uncertainty = { seed = 5; paths = 1000;
  parameters = ( { key = "contingency"; dist = "normal"; sd = 1e-9; } ); };
MC
mtfs mc "$TMP/res-mc.cfg" >"$TMP/res-mc.txt"
check "mc table: a row for each" bash -c "grep -qx '  reserves below minimum          100.0%    100.0%' '$TMP/res-mc.txt' &&
    grep -qx '  reserves exhausted (<0)           0.0%    100.0%' '$TMP/res-mc.txt' &&
    grep -qx 'Chance that reserves are exhausted (below zero) by 2026/27: 100.0% (deterministic plan: exhausted).' '$TMP/res-mc.txt'"
mtfs mc "$TMP/res-mc.cfg" --format csv >"$TMP/res-mc.csv"
check "mc CSV: p_reserves_below_minimum and p_reserves_exhausted" python3 -c "
import csv; r = list(csv.DictReader(open('$TMP/res-mc.csv')))
assert [(x['p_reserves_below_minimum'], x['p_reserves_exhausted']) for x in r] == [('1', '0'), ('1', '1')]"
mtfs mc "$TMP/res-mc.cfg" --format json >"$TMP/res-mc.json"
check "mc JSON: p_reserves_below_minimum and p_reserves_exhausted" python3 -c "
import json; y = json.load(open('$TMP/res-mc.json'))['years']
assert [(x['p_reserves_below_minimum'], x['p_reserves_exhausted']) for x in y] == [(1, 0), (1, 1)]"
