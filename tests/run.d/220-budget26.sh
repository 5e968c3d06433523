# tests/run.d/220-budget26.sh - the shipped 2026/27 Leicestershire budget
# (scenarios/leics_2026_budget.cfg, docs/calibration.md "2026/27 budget") and
# its three what-ifs: the published figures reproduced within stated
# tolerances, each what-if moving the gap by an amount worked out by hand
# below, and the oracle property that the budget with its dsg, capital and
# earmarked blocks taken away is, byte for byte, a file written without them.
# Sourced by tests/run.sh (uses check, mtfs, $TMP, $ROOT).

b26=scenarios/leics_2026_budget.cfg
for w in budget override_ends rates_up half_savings; do
    mtfs run "scenarios/leics_2026_$w.cfg" --format csv >"$TMP/b26_$w.csv" 2>"$TMP/err"
    check "budget26: leics_2026_$w runs" test -s "$TMP/b26_$w.csv"
done

# Published (data/published/leics_budget_2026.csv) against mtfs.  Tolerances:
# net budget 2026/27 £0.1m (published to £0.1m); gap 2026/27 (£15m from
# reserves) £0.1m; gap 2029/30 £1m (published to £1m); council tax 2026/27
# £0.1m of 252,765.8 x 1.015087 x 1,681.50 x 1.0299 = £444.34m; savings
# exactly £48m; capital programme exactly £501m with £80.16m borrowed
# (0.16 x 501); the DSG deficit 118 -> 118 + 45 - 0.9 x 118 = 56.8 ->
# 101.8, charged to reserves in 2028/29; capital financing by hand: each
# year borrows 20.04, MRP 20.04 / 25 = 0.8016 and interest 5% x 20.04 =
# 1.002 per tranche on what it still owes, so 2027/28 = 1.8036,
# 2028/29 = 2 x 0.8016 + 0.05 x 20.04 x (1 + 24/25) = 3.56712,
# 2029/30 = 3 x 0.8016 + 0.05 x 20.04 x (1 + 24/25 + 23/25) = 5.29056.
check "budget26: the published figures within their tolerances" python3 -c "
import csv, sys
r = list(csv.DictReader(open('$TMP/b26_budget.csv')))
f = lambda k: [float(x[k]) for x in r]
near = lambda a, b, tol: all(abs(x - y) <= tol for x, y in zip(a, b))
ok = abs(f('expenditure')[0] - 616.1) <= 0.1
ok = ok and abs(f('gap')[0] - 15.0) <= 0.1 and abs(f('gap')[3] - 85.0) <= 1.0
ok = ok and abs(f('council_tax')[0] - 444.34) <= 0.1 and f('council_tax_rise') == [0.0299] * 4
ok = ok and abs(sum(f('savings_planned')) - 48.0) < 1e-9 and f('savings_undelivered') == [0.0] * 4
ok = ok and abs(sum(f('capital_programme')) - 501.0) < 1e-9 and abs(sum(f('borrowing')) - 80.16) < 1e-9
ok = ok and near(f('capital_financing'), [0.0, 1.8036, 3.56712, 5.29056], 1e-9)
ok = ok and near(f('dsg_cumulative'), [56.8, 101.8, 0.0, 0.0], 1e-9)
ok = ok and near(f('dsg_reserves_charge'), [0.0, 0.0, 101.8, 0.0], 1e-9) and f('dsg_expenditure_charge') == [0.0] * 4
if not ok: print([(x['year'], x['expenditure'], x['gap'], x['council_tax'], x['capital_financing']) for x in r])
sys.exit(not ok)"
mtfs run "$b26" >"$TMP/b26.txt"
check "budget26: 1% of council tax 2026/27 is £4.3m (2.99% raises £12.9m)" \
    grep -qx 'A 1% council-tax rise in 2026/27 raises £4.3m.' "$TMP/b26.txt"
check "budget26: the named residual lines are shown in the JSON services" python3 -c "
import json, subprocess, sys
doc = json.loads(subprocess.run(['$MTFS', 'run', '$b26', '--format', 'json'], capture_output=True, text=True).stdout)
names = json.dumps(doc)
sys.exit(not ('restatement_2026' in names and 'residual_to_published_gap' in names))"

# The what-ifs, against the budget, by hand.
#  override_ends: no write-off and no national funding from 2028/29.  The
#    deficit reaches 118 + 45 + 45 = 208 at March 2028; in 2028/29 (the first
#    year after the override) that and 2028/29's 45 go to reserves: 253
#    (budget: 101.8); in 2029/30 the 45 is charged to spending: gap + 45.
#  rates_up: 1 point more on each tranche of 20.04 for what it still owes:
#    2027/28 0.01 x 20.04 = 0.2004; 2028/29 0.01 x 20.04 x (1 + 24/25) =
#    0.392784; 2029/30 0.01 x 20.04 x (1 + 24/25 + 23/25) = 0.577152.
#  half_savings: half of each year's savings stays in the service's recurring
#    budget and rises with its inflation after, infl = pay_share x pay +
#    (1 - pay_share) x price.  2027/28, 2028/29, 2029/30 rates:
#    adults (0.15, care = 0.6 NLW + 0.4 CPI = 2.9%, 2.6%, 2.6%):
#      2.915%, 2.585%, 2.585%;   children (0.35, CPI): 2.35%, 2.175%, 2.175%;
#    environment_transport (0.25): 2.25%, 2.125%, 2.125%;
#    corporate_resources (0.5): 2.5%, 2.25%, 2.25%.
#    2026/27: 0.5 x 16 = 8 exactly; 2029/30: 0.5 x the sum below, about 25.03.
check "budget26: what-ifs move the gap by the amounts worked out by hand" python3 -c "
import csv, sys
def col(w, k): return [float(x[k]) for x in csv.DictReader(open('$TMP/b26_%s.csv' % w))]
base = col('budget', 'gap')
d = lambda w: [a - b for a, b in zip(col(w, 'gap'), base)]
near = lambda a, b, tol: all(abs(x - y) <= tol for x, y in zip(a, b))
ok = near(d('override_ends'), [0.0, 0.0, 0.0, 45.0], 1e-9)
ok = ok and near(col('override_ends', 'dsg_reserves_charge'), [0.0, 0.0, 253.0, 0.0], 1e-9)
ok = ok and near(d('rates_up'), [0.0, 0.2004, 0.392784, 0.577152], 1e-9)
sav = {'adults': ([6.0, 5.0, 4.0, 3.0], [0.02915, 0.02585, 0.02585]),
       'children': ([3.0, 3.0, 2.0, 2.0], [0.0235, 0.02175, 0.02175]),
       'environment_transport': ([3.0, 2.0, 2.0, 1.0], [0.0225, 0.02125, 0.02125]),
       'corporate_resources': ([4.0, 3.0, 3.0, 2.0], [0.025, 0.0225, 0.0225])}
want = [0.0] * 4
for s, infl in sav.values():
    for t in range(4):
        carried = 0.0
        for k in range(t + 1):
            g = 0.5 * s[k]
            for tau in range(k + 1, t + 1): g *= 1 + infl[tau - 1]
            carried += g
        want[t] += carried
ok = ok and near(d('half_savings'), want, 1e-9) and abs(want[0] - 8.0) < 1e-12 and 24.0 < want[3] < 26.0
if not ok: print(d('override_ends'), d('rates_up'), d('half_savings'), want)
sys.exit(not ok)"

# Oracle: the budget with its three blocks taken away by 'remove' equals a copy
# of the file with the blocks deleted from its text, byte for byte, in the
# CSV, the bridge and the table (bar the line naming the file).
python3 -c "
s = open('$b26').read()
for blk in ('capital = {', 'dsg = {'):
    i = s.index('\n' + blk); j = s.index('\n};', i); s = s[:i] + s[j + 3:]
i = s.index('  earmarked = ('); j = s.index('\n  );', i); s = s[:i] + s[j + 5:]
assert 'dsg' not in s.split('#')[0] and 'earmarked =' not in s and 'capital = {' not in s
open('$TMP/b26_stripped.cfg', 'w').write(s)"
printf 'base = "%s/%s";\nremove = ["dsg", "capital", "reserves.earmarked"];\n' "$ROOT" "$b26" >"$TMP/b26_off.cfg"
for v in stripped off; do
    mtfs run "$TMP/b26_$v.cfg" --format csv >"$TMP/b26_$v.csv"
    mtfs bridge "$TMP/b26_$v.cfg" --format csv >"$TMP/b26_$v.bridge"
    mtfs run "$TMP/b26_$v.cfg" | grep -v '^Scenario file' >"$TMP/b26_$v.txt"
done
check "budget26: blocks removed = written without them (CSV)" cmp -s "$TMP/b26_stripped.csv" "$TMP/b26_off.csv"
check "budget26: blocks removed = written without them (bridge)" cmp -s "$TMP/b26_stripped.bridge" "$TMP/b26_off.bridge"
check "budget26: blocks removed = written without them (table)" cmp -s "$TMP/b26_stripped.txt" "$TMP/b26_off.txt"
check "budget26: no block column is left without the blocks" \
    bash -c "! head -1 '$TMP/b26_off.csv' | grep -qE 'dsg|capital|earmarked|usable'"
# One block at a time, where it must be the same: without the dsg block the
# gap is the budget's in every year (the deficit never reaches spending in
# the budget case) and only reserves move, by the charges so far; without the capital
# block spending falls by exactly its capital_financing; without the earmarked
# reserves the gap is unchanged.
for blk in dsg capital reserves.earmarked; do
    printf 'base = "%s/%s";\nremove = ["%s"];\n' "$ROOT" "$b26" "$blk" >"$TMP/b26_no_$blk.cfg"
    mtfs run "$TMP/b26_no_$blk.cfg" --format csv >"$TMP/b26_no_$blk.csv"
done
check "budget26: one block off at a time changes only what it must" python3 -c "
import csv, sys
def rows(n): return list(csv.DictReader(open('$TMP/%s.csv' % n)))
b = rows('b26_budget')
nd, nc, ne = rows('b26_no_dsg'), rows('b26_no_capital'), rows('b26_no_reserves.earmarked')
ok = all(x['gap'] == y['gap'] == z['gap'] for x, y, z in zip(b, nd, ne))
charged = 0.0
for x, y in zip(b, nd):
    charged += float(x['dsg_reserves_charge'])
    ok = ok and abs(float(x['reserves']) + charged - float(y['reserves'])) < 1e-9
ok = ok and all(abs(float(x['expenditure']) - float(x['capital_financing']) - float(y['expenditure'])) < 1e-9 for x, y in zip(b, nc))
ok = ok and all(x['funding'] == y['funding'] for x, y in zip(b, nc))
sys.exit(not ok)"
