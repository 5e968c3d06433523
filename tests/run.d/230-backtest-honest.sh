# tests/run.d/230-backtest-honest.sh - the back-test, honestly (issue 16): the residual each
# edition needs is its headline figure.  Sourced by tests/run.sh (uses check, mtfs, $TMP).

mtfs backtest --format csv >"$TMP/bt230.csv" 2>"$TMP/err"
check "backtest csv exits 0" test $? = 0
mtfs backtest >"$TMP/bt230.txt" 2>"$TMP/err"
# The residual of the last published-gap year is the last value of each scenario's own
# contingency line (hand values copied from scenarios/editions/*.cfg and the three detailed
# scenarios the 2020, 2023 and 2025 editions inherit); tolerance 1e-9 £m.  Its share is of
# that year's modelled net budget, as `mtfs run` gives it (tolerance 1e-12).
for pair in 2019:2022:59.9505 2020:2023:11.90 2021:2024:24.9560 2022:2025:88.9277 \
            2023:2027:18.42 2024:2027:56.8713 2025:2028:10.63 2026:2029:-12.51; do
    IFS=: read -r ed year want <<<"$pair"
    check "backtest: edition $ed's residual in $year is its contingency line, $want" python3 -c "
import csv, sys
rows = [r for r in csv.DictReader(open('$TMP/bt230.csv')) if r['edition'] == '$ed' and r['year'] == '$year']
sys.exit(0 if len(rows) == 1 and abs(float(rows[0]['residual']) - $want) < 1e-9
         and abs(float(rows[0]['residual_share']) - $want / float(rows[0]['projected_spending'])) < 1e-12 else 1)"
done
# The same from the scenario by hand: the 2020 edition's 2023/24 net budget from mtfs run.
mtfs run scenarios/editions/leics_2020.cfg --format csv >"$TMP/bt230-2020.csv"
check "backtest: the 2020 edition's residual share by hand (11.90 / E(2023/24))" python3 -c "
import csv, sys
e = [float(r['expenditure']) for r in csv.DictReader(open('$TMP/bt230-2020.csv')) if r['year'] == '2023'][0]
b = [r for r in csv.DictReader(open('$TMP/bt230.csv')) if r['edition'] == '2020' and r['year'] == '2023'][0]
sys.exit(0 if abs(float(b['residual_share']) - 11.90 / e) < 1e-12 else 1)"
check "backtest table: the residual is each edition's headline" \
    grep -qx 'residual needed £11.9m in 2023/24, 2.6% of net budget' "$TMP/bt230.txt"
check "backtest table: eight headlines, one per edition" test "$(grep -c '^residual needed ' "$TMP/bt230.txt")" = 8
check "backtest table: a negative residual (2026/27) prints as -£12.5m" \
    grep -Eq '^  2026/27 +-£12\.5m in 2029/30 +-1\.6%' "$TMP/bt230.txt"
check "backtest table: the residual row of the 2019 edition" \
    grep -Eq '^residual \(contingency line\) +23\.1 +34\.7 +49\.3 +60\.0$' "$TMP/bt230.txt"
check "docs: no edition is said to be reproduced without a residual" \
    test "$(grep -c 'reproduce their editions to within 0.2% without such' docs/backtest.md)" = 0
