# tests/run.d/280-price-basis.sh - the fair-funding price basis (issue 16):
# fair_funding.prices restates the data year's money (2020-21 cash) in the
# scenario's base-year prices, and the brief states its basis.
# docs/fair-funding.md, "Price basis".  Sourced by tests/run.sh (uses check,
# mtfs, $TMP).
#
# By hand: the CPI outturn of data/published/economy_outturn.csv, 2021/22 to
# 2024/25, is 4.0%, 10.0%, 5.7%, 2.3%, so
#   P = 1.040 x 1.100 x 1.057 x 1.023 = 1.237019784 (exact in 10 digits).
# leics_2025_ffa: change -3.160828663 (tests/run.d/260-ffa.sh), uplifted by
# the central CPI 3.2%, 2.1%, 2.0%, 2.0% from 2025/26, by thirds from 2026/27:
#   2026/27: -3.160828663 x P x 1.032 x 1.021 x 0.333                = -1.371915217
#   2027/28: ... x 1.020 x 0.667                                     = -2.802909306
#   2028/29: ... x 1.020 x 1.0                                       = -4.286308084
# Tolerance 1e-6 £m (the change is rounded to 1e-9).

pb_near() { # pb_near GOT WANT TOL: |GOT - WANT| <= TOL
    awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'
}
pb_col() { # pb_col FILE COLUMN YEAR: the column of a run CSV in that year
    python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(next(r[sys.argv[2]] for r in rows if r["year"] == sys.argv[3]))' "$@"
}

# The factor: from the index file by an independent product, and by hand.
P=$(python3 -c 'import csv
p = 1.0
for r in csv.DictReader(open("data/published/economy_outturn.csv")):
    if 2021 <= int(r["year"]) <= 2024: p *= 1 + float(r["cpi"])
print(repr(p))')
check "price basis: P from the index file = 1.237019784 by hand" pb_near "$P" 1.237019784 1e-12

mtfs brief scenarios/leics_2025_ffa.cfg --format csv >"$TMP/pb_brief.csv"
check "price basis: the brief's price_factor = P" pb_near \
    "$(python3 -c 'import csv, sys; print(next(csv.DictReader(open(sys.argv[1])))["price_factor"])' "$TMP/pb_brief.csv")" "$P" 1e-12
check "price basis: every brief row's change_base_m = change_m x P" python3 -c 'import csv, sys
P = float(sys.argv[2])
bad = [r["name"] for r in csv.DictReader(open(sys.argv[1]))
       if r["change_m"] and abs(float(r["change_base_m"]) - P * float(r["change_m"])) > 1e-9]
sys.exit(1 if bad else 0)' "$TMP/pb_brief.csv" "$P"

mtfs brief scenarios/leics_2025_ffa.cfg >"$TMP/pb_brief.md"
check "price basis: the brief has its section" grep -qx '## Price basis' "$TMP/pb_brief.md"
check "price basis: the brief names data year, base year and index" grep -qF \
    'The data'"'"'s money is 2020-21 cash: core spending power, and council tax where a formula equalises it. This scenario'"'"'s base year is 2024/25, and its MTFS is in the cash of each year. Its `fair_funding` block restates the data'"'"'s money in 2024/25 prices by the series `cpi` of `data/published/economy_outturn.csv`, one rate a year:' \
    "$TMP/pb_brief.md"
check "price basis: the brief lists each year's rate with its line" grep -qxF '| 2022/23 | +10.0% | 5 |' "$TMP/pb_brief.md"
check "price basis: the brief states the factor" grep -qF \
    'The factor from 2020-21 cash to 2024/25 prices is P = 1.0400 × 1.1000 × 1.0570 × 1.0230 = **1.2370**.' "$TMP/pb_brief.md"
# Nottinghamshire: £562.31m x P = £695.58m; +£66.52m x P = +£82.29m.
check "price basis: a comparator in both price bases" grep -qxF \
    '| Nottinghamshire | 826,257 | £562.3m | £695.6m | £681 | +£66.5m | +£82.3m |' "$TMP/pb_brief.md"
# FFA: 99.07 x P = 122.55, 95.91 x P = 118.64, -3.16 x P = -3.91.
check "price basis: the scenario's formula in both price bases" grep -qF \
    '| `formulas/ffa_2026.cfg` | 99.1 | 95.9 | -£3.2m | 122.6 | 118.6 | -£3.9m | -3.2% | 14 of 15 |' "$TMP/pb_brief.md"
check "price basis: the index file is a traced source" grep -qF -e \
    '- Price index: `data/published/economy_outturn.csv` (SHA-256 ' "$TMP/pb_brief.md"

# The MTFS: formula_adjustment by hand.
mtfs run scenarios/leics_2025_ffa.cfg --format csv >"$TMP/pb_ffa.csv"
check "price basis: leics_2025_ffa 2025/26 has no reform" pb_near "$(pb_col "$TMP/pb_ffa.csv" formula_adjustment 2025)" 0 1e-12
check "price basis: leics_2025_ffa 2026/27 = hand" pb_near "$(pb_col "$TMP/pb_ffa.csv" formula_adjustment 2026)" -1.371915217 1e-6
check "price basis: leics_2025_ffa 2027/28 = hand" pb_near "$(pb_col "$TMP/pb_ffa.csv" formula_adjustment 2027)" -2.802909306 1e-6
check "price basis: leics_2025_ffa 2028/29 = hand" pb_near "$(pb_col "$TMP/pb_ffa.csv" formula_adjustment 2028)" -4.286308084 1e-6
check "price basis: leics_2025_ffa gap 2028/29 = central + 4.29" pb_near "$(pb_col "$TMP/pb_ffa.csv" gap 2028)" \
    "$(mtfs run scenarios/leics_2025_central.cfg --format csv >"$TMP/pb_central.csv"; python3 -c 'import sys; print(float(sys.argv[1]) + 4.286308084)' "$(pb_col "$TMP/pb_central.csv" gap 2028)")" 1e-6
check "price basis: the run's metadata lists the index file" grep -q '"path": "data/published/economy_outturn.csv"' \
    <(mtfs run scenarios/leics_2025_ffa.cfg --format json)

# leics_2025_fair_funding: the shire-county average, from the data by an
# independent sum (25 counties with 2020-21 spending power), x P x CPI.
WANT=$(python3 -c 'import csv, sys
rows = [r for r in csv.DictReader(open("data/authorities.csv")) if r["type"] == "county" and r["csp_year"] == "2020-21"]
f = sum(float(r["core_spending_power_m"]) for r in rows); n = sum(float(r["population"]) for r in rows)
own = next(r for r in rows if r["code"] == "E10000018")
gain = (f / n - float(own["core_spending_power_m"]) / float(own["population"])) * float(own["population"])
print(repr(len(rows) == 25 and gain * float(sys.argv[1]) * 1.032 * 1.021 * 1.020 * 1.020))' "$P")
mtfs run scenarios/leics_2025_fair_funding.cfg --format csv >"$TMP/pb_ff.csv"
check "price basis: leics_2025_fair_funding 2028/29 = shire-county gain x P x CPI (84.9)" \
    pb_near "$(pb_col "$TMP/pb_ff.csv" formula_adjustment 2028)" "$WANT" 1e-9

# Without prices the change stays 2020-21 cash, and the brief says so.
printf 'base = "%s/scenarios/leics_2025_fair_funding.cfg";\nremove = ["fair_funding.prices"];\n' "$PWD" >"$TMP/pb_cash.cfg"
mtfs run "$TMP/pb_cash.cfg" --format csv >"$TMP/pb_cash.csv"
check "price basis: without prices the change is the restated one / P" pb_near \
    "$(python3 -c 'import sys; print(float(sys.argv[1]) * float(sys.argv[2]))' "$(pb_col "$TMP/pb_cash.csv" formula_adjustment 2028)" "$P")" \
    "$(pb_col "$TMP/pb_ff.csv" formula_adjustment 2028)" 1e-9
mtfs brief "$TMP/pb_cash.cfg" >"$TMP/pb_cash.md"
check "price basis: a brief without prices says it is not restated" grep -qF \
    'Its `fair_funding` block has no `prices`, so the changes below enter the MTFS at their 2020-21 cash values, not restated in 2024/25 prices' \
    "$TMP/pb_cash.md"
check "price basis: a brief without prices has no restated columns" \
    grep -qxF '| Surrey | 1,205,616 | £919.3m | £763 | +£124.9m |' "$TMP/pb_cash.md"

# A base year before the data year deflates: base 2019/20, data 2020-21,
# P = 1 / (1 + 0.006) (2020/21 CPI); cpi 2% flat, uplift flat, so the
# 2021/22 adjustment is the shire-county gain x P x 1/3 (transition 0.333).
cat >"$TMP/pb_back.cfg" <<CFG
base = "$PWD/tests/bad/lib/common.cfg";
base_year = 2019;
grants = ( { name = "social care grant"; amount = 40.0; rule = "cpi"; end_year = 2022; } );
fair_funding = { formula = "$PWD/formulas/per_head_average.cfg"; authority = "Leicestershire";
                 start_year = 2021; transition = [0.333, 0.667, 1.0];
                 prices = { index = "$PWD/data/published/economy_outturn.csv"; series = "cpi"; }; };
CFG
mtfs run "$TMP/pb_back.cfg" --format csv >"$TMP/pb_back.csv" 2>"$TMP/pb_back.err"
check "price basis: a base year before the data year deflates (P = 1/1.006)" pb_near \
    "$(pb_col "$TMP/pb_back.csv" formula_adjustment 2021)" \
    "$(python3 -c 'import sys; print(float(sys.argv[1]) / (float(sys.argv[2]) * 1.032 * 1.021 * 1.020 * 1.020) / 1.006 * 0.333)' "$WANT" "$P")" 1e-9
