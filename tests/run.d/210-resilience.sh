# tests/run.d/210-resilience.sh - mtfs resilience, the section 25 pack
# (docs/model.md section 12).  By hand from tests/good/hand_resilience.cfg:
# no inflation, so E(t) = 57 + 10 + 30 + 3 = 100 and F(t) = 50 + 20 + 20 = 90
# each year; gap 10; general fund 30 -> 20 -> 10, earmarked 10, usable
# U = 40 -> 30 -> 20; CFR 50 - 2 = 48, 46.
#   usable share 0.30, 0.20     general fund share 0.20, 0.10
#   change -10, -10; -10/40 = -0.25, -10/30 = -1/3
#   months 12 x 30/100 = 3.6, 2.4
#   financing (2 + 1)/100 = 0.03; social care (57 + 10)/100 = 0.67
#   council tax 50/90; gap 10/100 = 0.1
# Tolerance 1e-12 (each value is one or two operations on exact inputs).
# Sourced by tests/run.sh (uses check, mtfs, expect_status, $TMP).

H=tests/good/hand_resilience.cfg
mtfs resilience "$H" --format csv >"$TMP/rs.csv"
check "resilience: indicators by hand, with their thresholds" python3 -c "
import csv
rows = {(r['indicator'], int(r['year'])): r for r in csv.DictReader(open('$TMP/rs.csv'))}
want = {
  'usable_reserves_share': ([0.30, 0.20], '>=', 0.25, ['yes', 'no']),
  'general_fund_share': ([0.20, 0.10], '>=', 0.05, ['yes', 'yes']),
  'reserves_change': ([-10, -10], '', None, ['', '']),
  'reserves_change_share': ([-0.25, -1/3], '>=', -0.3, ['yes', 'no']),
  'months_covered': ([3.6, 2.4], '>=', 3.0, ['yes', 'no']),
  'cfr': ([48, 46], '', None, ['', '']),
  'borrowing': ([0, 0], '', None, ['', '']),
  'financing_share': ([0.03, 0.03], '<=', 0.05, ['yes', 'yes']),
  'social_care_share': ([0.67, 0.67], '<=', 0.75, ['yes', 'yes']),
  'council_tax_share': ([50/90, 50/90], '>=', 0.5, ['yes', 'yes']),
  'gap_share': ([0.1, 0.1], '<=', 0.12, ['yes', 'yes']),
}
assert len(rows) == 2 * len(want), sorted(rows)
for key, (values, test, limit, within) in want.items():
    for t, year in enumerate((2025, 2026)):
        r = rows[(key, year)]
        assert abs(float(r['value']) - values[t]) <= 1e-12, (key, year, r['value'])
        assert r['test'] == test and r['within'] == within[t], (key, year, r)
        assert (r['threshold'] == '') if limit is None else abs(float(r['threshold']) - limit) <= 1e-15, r"

mtfs resilience "$H" >"$TMP/rs.txt"
check "resilience: table rows say which thresholds hold" bash -c "
grep -qx 'Usable reserves, % of net spending       >= 25.0%     30.0%     20.0%  no from 2026/27' '$TMP/rs.txt' &&
grep -qx 'Months of net spending covered             >= 3.0       3.6       2.4  no from 2026/27' '$TMP/rs.txt' &&
grep -qx 'Social care, % of net spending           <= 75.0%     67.0%     67.0%  yes' '$TMP/rs.txt' &&
grep -qx 'Change in usable reserves (£m)                  -     -10.0     -10.0' '$TMP/rs.txt'"

# Without a capital block: no debt rows; without a service that counts as
# social care: no social care row; no threshold: empty test columns.
mtfs resilience tests/good/flat.cfg --format csv >"$TMP/rs-flat.csv"
check "resilience: indicators a scenario has no block for are left out, never NaN" bash -c "
! grep -q '^cfr,\|^borrowing,\|^financing_share,\|nan\|inf' '$TMP/rs-flat.csv' &&
grep -q '^usable_reserves_share,' '$TMP/rs-flat.csv' && ! grep -q ',yes\$\|,no\$' '$TMP/rs-flat.csv'"

mtfs resilience "$H" --format json >"$TMP/rs.json"
check "resilience: JSON rows carry the CSV's columns" python3 -c "
import json; d = json.load(open('$TMP/rs.json'))
assert d['metadata']['command'] == 'resilience', d['metadata']
rows = d['rows']; assert len(rows) == 22, len(rows)
assert rows[0]['indicator'] == 'usable_reserves_share' and rows[0]['within'] == 'yes', rows[0]"

rm -rf "$TMP/rs-out"
expect_status 0 "resilience -o writes its files" resilience "$H" -o "$TMP/rs-out"
check "resilience: -o writes <id>_resilience.csv and .json" bash -c "
cmp -s '$TMP/rs-out/hand_resilience_resilience.csv' '$TMP/rs.csv' &&
test -s '$TMP/rs-out/hand_resilience_resilience.json'"
expect_status 2 "resilience: two files refused" resilience "$H" "$H"

# The risk-based minimum reserve (docs/model.md 12.3) over
# tests/good/hand_resilience_mc.cfg: adults' base ~ normal(57, 8), drawn once
# a path, so each year's gap is 10 + X, X ~ N(0, 8), the same both years:
#   cumulative gap to 2026/27 = 2 (10 + X): P90 2 (10 + 1.2816 x 8) = 40.51,
#     P95 2 (10 + 1.6449 x 8) = 46.32 (2,000 paths: a quantile's standard
#     error is about 0.6 and 0.8; tolerance 2.5 and 3.5)
#   general fund below 5 by 2025/26: 30 - (10 + X) < 5, X > 15: 1 - Phi(1.875) = 0.030
#                    by 2026/27: 30 - 2 (10 + X) < 5, X > 2.5: 1 - Phi(0.3125) = 0.377
#   usable exhausted by 2026/27: 40 - 2 (10 + X) < 0, X > 10: 1 - Phi(1.25) = 0.106
#   (standard error at most 0.011; tolerance 0.04)
# and exactly what mtfs mc gives for the same seed and paths.  P(exhausted by
# 2026/27), about 10.6%, is above the 10% that 90% confidence allows: the
# statement's verdict is "not adequate" (docs/model.md 12.4).
M=tests/good/hand_resilience_mc.cfg
mtfs resilience "$M" --threads 1 -o "$TMP/rs-mc1" >"$TMP/rs-mc1.txt"
mtfs resilience "$M" --threads 2 -o "$TMP/rs-mc2" >"$TMP/rs-mc2.txt"
check "resilience: risk-based minimum the same for --threads 1 and 2" bash -c "
cmp -s '$TMP/rs-mc1/hand_resilience_mc_resilience_risk.csv' '$TMP/rs-mc2/hand_resilience_mc_resilience_risk.csv' &&
cmp -s '$TMP/rs-mc1.txt' '$TMP/rs-mc2.txt'"
mtfs resilience "$M" --threads 2 -o "$TMP/rs-mc3" >/dev/null
check "resilience: the same seed gives the same risk file again" \
    cmp -s "$TMP/rs-mc2/hand_resilience_mc_resilience_risk.csv" "$TMP/rs-mc3/hand_resilience_mc_resilience_risk.csv"
mtfs mc "$M" --format csv >"$TMP/rs-mc.csv"
check "resilience: risk-based minimum by hand, and equal to mc's percentiles and chances" python3 -c "
import csv
risk = {(r['item'], r['year']): float(r['value']) for r in csv.DictReader(open('$TMP/rs-mc1/hand_resilience_mc_resilience_risk.csv'))}
mc = {r['year']: r for r in csv.DictReader(open('$TMP/rs-mc.csv'))}
assert abs(risk[('risk_minimum_p90', '')] - 40.51) <= 2.5, risk
assert abs(risk[('risk_minimum_p95', '')] - 46.32) <= 3.5, risk
assert risk[('fixed_minimum', '')] == 5 and risk[('opening_usable_reserves', '')] == 40 and risk[('confidence', '')] == 0.9
assert risk[('risk_minimum_p90', '')] == float(mc['2026']['cumulative_gap_p90'])
assert risk[('risk_minimum_p95', '')] == float(mc['2026']['cumulative_gap_p95'])
for year, below, out in (('2025', 0.030, 0.0), ('2026', 0.377, 0.106)):
    assert abs(risk[('p_general_fund_below_minimum', year)] - below) <= 0.04, (year, risk)
    assert abs(risk[('p_usable_exhausted', year)] - out) <= 0.04, (year, risk)
    assert risk[('p_general_fund_below_minimum', year)] == float(mc[year]['p_reserves_below_minimum'])
    assert risk[('p_usable_exhausted', year)] == float(mc[year]['p_reserves_exhausted'])"
check "resilience: the table states the risk-based minimum at the chosen confidence" \
    grep -q '^At 90% confidence the reserves should cover £' "$TMP/rs-mc1.txt"
mtfs resilience "$M" --confidence 95 --format json >"$TMP/rs-mc.json"
check "resilience: --confidence 95 picks the 95th percentile; JSON has a risk section" python3 -c "
import json; d = json.load(open('$TMP/rs-mc.json'))
risk = {r['item']: r['value'] for r in d['risk']['rows'] if r['year'] in ('', None)}
assert risk['confidence'] == 0.95, risk"
expect_status 2 "resilience: --confidence 80 refused" resilience "$M" --confidence 80
check "resilience: --confidence 80 says what is allowed" grep -qx "mtfs: --confidence '80' is not 90 or 95" "$TMP/err"
expect_status 2 "resilience: --paths without an uncertainty block" resilience "$H" --paths 10
check "resilience: no risk file without an uncertainty block" test ! -e "$TMP/rs-out/hand_resilience_resilience_risk.csv"

# The statement (docs/model.md 12.4 and 12.5): the verdict by its rule.
#   hand_resilience_ok: reserves last, GF 20 and 10 above 5, every indicator
#     within: adequate.
#   hand_resilience: three indicators outside from 2026/27: with conditions.
#   hand: usable reserves below zero in 2025/26: not adequate.
for case in hand_resilience_ok:adequate hand_resilience:'adequate with conditions' hand:'not adequate'; do
    id=${case%%:*} want=${case#*:}
    rm -rf "$TMP/st-$id"
    mtfs resilience "tests/good/$id.cfg" --statement -o "$TMP/st-$id" --plot none >/dev/null 2>"$TMP/err"
    check "resilience --statement: $id is $want" grep -qx "## Verdict: reserves are $want" "$TMP/st-$id/${id}_statement.md"
done
check "resilience --statement: the sources and the file's hash" bash -c "
grep -qx -- '- Hand-made figures for the test suite' '$TMP/st-hand_resilience_ok/hand_resilience_ok_statement.md' &&
grep -q -- '^- Scenario file .tests/good/hand_resilience.cfg. (SHA-256 .$(sha256sum tests/good/hand_resilience.cfg | cut -c1-64).)\$' \
    '$TMP/st-hand_resilience_ok/hand_resilience_ok_statement.md'"
check "resilience --statement: the reasons of a verdict with conditions" grep -qx \
    -- "- Months of net spending covered is outside the council's threshold (resilience.min_months) from 2026/27." \
    "$TMP/st-hand_resilience/hand_resilience_statement.md"
mtfs resilience tests/good/hand_resilience.cfg >"$TMP/rs.txt"
check "resilience: the table ends with the verdict" bash -c "
tail -1 '$TMP/rs.txt' | grep -qx 'Reserves verdict (docs/model.md 12.4): adequate with conditions, 3 reasons (--statement lists them).'"
rm -rf "$TMP/st-mc"
mtfs resilience "$M" --statement -o "$TMP/st-mc" >/dev/null
check "resilience --statement: with a Monte Carlo, its charts and the risk-based minimum" bash -c "
cd '$TMP/st-mc' && test -s hand_resilience_mc_projection.png && test -s hand_resilience_mc_fan.png &&
test -s hand_resilience_mc_exhaustion.png &&
grep -qx '!\[Monte Carlo: the gap and reserves, percentile bands\](hand_resilience_mc_fan.png)' hand_resilience_mc_statement.md &&
grep -q '^- The risk-based minimum at 90% confidence, £4[0-9].[0-9]m, is more than the usable reserves held above the minimum, £35.0m.' hand_resilience_mc_statement.md &&
grep -q '^- The chance that usable reserves run out by 2026/27 is 1[0-9].[0-9]%, above the 10% the confidence allows.' hand_resilience_mc_statement.md &&
grep -qx '## Verdict: reserves are not adequate' hand_resilience_mc_statement.md"
expect_status 2 "resilience --statement without -o" resilience "$H" --statement
check "resilience --statement without -o says why" grep -qx "mtfs: --statement needs -o DIR (the statement and its charts are files)" "$TMP/err"
