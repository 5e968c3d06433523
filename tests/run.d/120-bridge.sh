# tests/run.d/120-bridge.sh - the base-year rule of the gap bridge, and
# compare's bridge of differences, on tests/good/bridge/ (each file works
# its numbers out by hand in its comments).  Sourced by tests/run.sh (uses
# check, expect_status, mtfs, $TMP).

B=tests/good/bridge
R="$TMP/bridge120"
mkdir -p "$R"

# --- the base-year rule: an imbalance is its own line, never "balanced" ---
mtfs bridge $B/d.cfg >"$R/d.txt" 2>"$R/d.err"
check "imbalanced base year: bridge exits 0, nothing on stderr" test $? = 0 -a ! -s "$R/d.err"
check "imbalanced base year: not called balanced, imbalance on the next line" diff - "$R/d.txt" <<'OUT'
bridge d
Gap bridge from the 2025/26 budget to the 2027/28 gap, £m

Base-year budget                                  100.0
Base-year imbalance (budget less funding)          +2.0
Spending
  Pay inflation                                    +4.1
  Price inflation                                  +2.0
  Demand                                            0.0
  New pressures                                     0.0
  Savings delivered                                 0.0
  One-off items                                     0.0
  Contingency                                       0.0
  Covid costs and lost income                       0.0
Funding
  Council-tax rises                                 0.0
  Tax-base growth                                   0.0
  Collection rate and fund                          0.0
  Business rates                                    0.0
  Grants                                            0.0
  Covid grants, net of deficits                     0.0
  Fair-funding reform                               0.0
-------------------------------------------------------
Funding gap                                         8.1

Costs against income and savings
  Base-year imbalance (budget less funding)        +2.0
  Costs                                            +6.1
  Income and savings                                0.0
OUT
mtfs bridge $B/d.cfg --format csv >"$R/d.csv"
check "imbalanced base year: CSV row" grep -qx 'base_balance,Base-year imbalance (budget less funding),base,2' "$R/d.csv"
mtfs bridge $B/a.cfg >"$R/a.txt"
check "balanced base year: called balanced, no imbalance line" \
    bash -c "grep -qx 'Base-year budget (balanced)  *100.0' '$R/a.txt' && ! grep -q 'imbalance' '$R/a.txt'"
# The shipped files balance to rounding (central: £0.0028m): balanced.
mtfs bridge scenarios/leics_2025_central.cfg >"$R/central.txt"
check "shipped scenario: balanced to rounding" grep -q '^Base-year budget (balanced) ' "$R/central.txt"
# A derived file switching an inherited grant to a list keeps the base year:
# no imbalance, and the grants item is -(24 - 20).
mtfs bridge $B/c.cfg --format csv >"$R/c.csv"
check "grant switched to a list: base year kept" \
    bash -c "grep -qx 'base_balance,Base-year imbalance (budget less funding),base,0' '$R/c.csv' &&
             grep -qx 'grants,Grants,funding,-4' '$R/c.csv'"
printf 'base = "c.cfg";\nname = "c2";\ngrants = ( { name = "g"; base_amount = 21.0; } );\n' >"$R/c2.cfg"
cp $B/a.cfg $B/c.cfg "$R/"
mtfs bridge "$R/c2.cfg" --format csv >"$R/c2.csv"
check "a base_amount of the derived file still wins" \
    grep -qx 'base_balance,Base-year imbalance (budget less funding),base,-1' "$R/c2.csv"

# --- compare: what explains the difference, item by item ---
mtfs compare $B/a.cfg $B/b.cfg $B/c.cfg $B/d.cfg >"$R/cmp.txt" 2>"$R/cmp.err"
check "compare of four exits 0, nothing on stderr" test $? = 0 -a ! -s "$R/cmp.err"
check "compare explains each difference from the first (hand-computed)" \
    bash -c "sed -n '/^What explains/,\$p' '$R/cmp.txt' | diff - /dev/fd/3" 3<<'OUT'
What explains the difference in the final gap, £m: each scenario's gap bridge less a's, item by item

b against a, 2027/28
  Pay inflation                                    -0.2
  Price inflation                                  -0.1
  Savings delivered                               -10.0
  Council-tax rises                                -2.0
  -----------------------------------------------------
  Difference in the final gap                     -12.3

c against a, 2027/28
  Grants                                           -4.0
  -----------------------------------------------------
  Difference in the final gap                      -4.0

d against a, 2027/28
  Base-year imbalance (budget less funding)        +2.0
  -----------------------------------------------------
  Difference in the final gap                      +2.0
OUT
mtfs compare $B/a.cfg $B/b.cfg $B/c.cfg $B/d.cfg -o "$R/cmp" --plot none >/dev/null
check "compare -o writes compare_bridge.csv" test -s "$R/cmp/compare_bridge.csv"
check "compare_bridge.csv: b's items against a's, by hand" awk -F, '
    function near(x, y) { return (x - y < 1e-12 && y - x < 1e-12) }
    $1 == "b" && $5 == "pay" { ok += near($10, -0.2) && near($8, 3.86) && near($9, 4.06) }
    $1 == "b" && $5 == "price" { ok += near($10, -0.1) }
    $1 == "b" && $5 == "savings" { ok += near($10, -10) }
    $1 == "b" && $5 == "ct_rise" { ok += near($10, -2.02) }
    $1 == "b" && $5 == "gap" { ok += near($10, -12.32) && near($8, -6.23) && near($9, 6.09) }
    $1 == "c" && $5 == "grants" { ok += near($10, -4) }
    $1 == "d" && $5 == "base_balance" { ok += near($10, 2) }
    END { exit !(ok == 7 && NR == 1 + 3 * 18) }' "$R/cmp/compare_bridge.csv"
# The sum property on scenarios with different base years and horizons.
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2020_covid.cfg \
    scenarios/leics_2025_savings_70.cfg scenarios/leics_2023_inflation.cfg -o "$R/cmp2" --plot none >/dev/null
check "compare_bridge.csv: each pair's items sum to its difference in the final gap (1e-9)" python3 -c "
import csv, sys
total, gap = {}, {}
for r in csv.DictReader(open('$R/cmp2/compare_bridge.csv', newline='')):
    if r['side'] == 'total':
        gap[r['scenario']] = float(r['difference'])
    elif r['item'] != 'base_budget':
        total[r['scenario']] = total.get(r['scenario'], 0.0) + float(r['difference'])
sys.exit(not (len(gap) == 3 and all(abs(total[k] - gap[k]) < 1e-9 * 1000 for k in gap)))"
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2020_covid.cfg >"$R/cmp3.txt"
check "compare names both final years when they differ" \
    grep -qx 'leics_2020_covid (2023/24) against leics_2025_central (2028/29)' "$R/cmp3.txt"
mtfs compare $B/a.cfg $B/b.cfg --format json >"$R/cmp.json"
check "compare JSON has the bridge section" python3 -c "
import json, sys
d = json.load(open('$R/cmp.json'))
b = d['bridge']
rows = {r['item']: r for r in b['rows']}
sys.exit(not (list(d)[-1] == 'bridge' and len(b['rows']) == 18 and b['columns'][-1] == 'difference'
              and abs(rows['savings']['difference'] + 10) < 1e-12 and rows['gap']['against_value'] == 6.090000000000003))"
mtfs compare --help >"$R/help.txt"
check "compare --help names compare_bridge.csv" grep -q 'DIR/compare_bridge.csv' "$R/help.txt"
