# tests/run.d/010-uncertainty.sh - Monte Carlo (reproducible across threads), tornado and
# goal seek.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

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
check "tornado is sorted by swing" bash -c "tail -n +2 '$TMP/tornado.csv' | awk -F, '{ print \$NF }' | sort -g -r -c"
mtfs tornado "$U" -o "$TMP/tor" >/dev/null
check "tornado -o writes the chart" test -s "$TMP/tor/leics_2025_uncertainty_tornado.png"
mtfs goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever council_tax >"$TMP/gs.txt"
check "goalseek exits 0" test $? = 0
check "goalseek names the rise" grep -q '^Smallest council-tax rise: 9.3788% a year from 2025/26' "$TMP/gs.txt"
check "goalseek reports the referendum limit" grep -q '^This breaks the referendum limit of 4.99%' "$TMP/gs.txt"
mtfs goalseek scenarios/leics_2025_central.cfg --target 'gap[2026/27] <= 0' --lever savings:adults --from 2026 >"$TMP/gs2.txt"
check "goalseek finds a service saving" grep -q '^Smallest recurring saving: £37.943m a year from 2026/27, adults' "$TMP/gs2.txt"
expect_status 2 "goalseek needs a target" goalseek scenarios/leics_2025_central.cfg --lever council_tax
expect_status 2 "goalseek with a bad lever" goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever rates
check "goalseek lever message" grep -qx "mtfs: unknown lever 'rates' (expected council_tax, savings or savings:SERVICE)" "$TMP/err"
expect_status 2 "goalseek with a bad --from" goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever savings --from 2026/28
# Rows are named for people from the input registry, values in their unit.
mtfs tornado scenarios/leics_2025_uncertainty.cfg >"$TMP/tornado.txt"
check "tornado row label from the registry" grep -q '^Demand growth, adults  *3\.00%  *5\.78%' "$TMP/tornado.txt"
check "tornado money input in £m" grep -q '^Grant, social care grant  *£34\.1m  *£38\.7m' "$TMP/tornado.txt"
