# tests/run.d/230-backtest-honest.sh - the back-test, honestly (issue 16): the residual each
# edition needs is its headline figure.  Sourced by tests/run.sh (uses check, mtfs, $TMP).

mtfs backtest --format csv >"$TMP/bt230.csv" 2>"$TMP/err"
check "backtest csv exits 0" test $? = 0
mtfs backtest >"$TMP/bt230.txt" 2>"$TMP/err"
# The residual of the last published-gap year is the last value of each scenario's own
# contingency line (hand values copied from scenarios/editions/*.cfg and the three detailed
# scenarios the 2020, 2023 and 2025 editions inherit); tolerance 1e-9 £m.  Its share is of
# that year's modelled net budget, as `mtfs run` gives it (tolerance 1e-12).
for pair in 2019:2022:37.6142 2020:2023:11.90 2021:2024:24.9560 2022:2025:88.9277 \
            2023:2027:26.9218 2024:2027:60.9393 2025:2028:11.5513 2026:2029:-12.51; do
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
    grep -Eq '^residual \(contingency line\) +16\.1 +21\.3 +31\.1 +37\.6$' "$TMP/bt230.txt"
check "docs: no edition is said to be reproduced without a residual" \
    test "$(grep -c 'reproduce their editions to within 0.2% without such' docs/backtest.md)" = 0

# Economy known at the time: each edition scenario's National Living Wage path is the one
# data/published/economy_at_edition.csv gives (exact), every row has a source, and no rise
# is "set" by an announcement of a later calendar year than the edition's first year.
check "economy at edition: each scenario's nlw_growth is the data file's" python3 -c "
import csv, re, sys, os
rows = list(csv.DictReader(open('data/published/economy_at_edition.csv')))
def nlw(path):
    text = open(path).read()
    m = re.findall(r'nlw_growth = \[([^\]]*)\]', text)
    if m: return [float(x) for x in m[-1].split(',')]
    base = re.search(r'^base = \"([^\"]*)\"', text, re.M).group(1)
    return nlw(os.path.join(os.path.dirname(path), base))
bad = 0
for ed in sorted({r['edition'] for r in rows}):
    want = [float(r['nlw_growth']) for r in rows if r['edition'] == ed]
    bad += nlw('scenarios/editions/leics_%s.cfg' % ed) != want
bad += sum(1 for r in rows if not r['source'].strip())
bad += sum(1 for r in rows if r['basis'] == 'set' and r['known_by'][-4:] > r['edition'])
sys.exit(1 if bad else 0)"
check "economy at edition: the 2023 edition's 2024/25 NLW is the Nov 2022 projection (6.3%), not the 9.8% set later" \
    grep -q '^2023,2024,2024/25,0.063,11.08,projected,Nov 2022,' data/published/economy_at_edition.csv

# The newest edition: the approved 2026/27 budget.
check "editions: 2026/27 row, £616.1m, 2.99%, £15m from reserves" \
    grep -q '^2026,2026,2026/27,616.1,0.0299,[^,]*,48.0,182.0,15.0,met from reserves,' data/published/leics_mtfs_editions.csv
check "editions: 2026 edition's £85m gap by 2029/30" grep -q '^2026,2029,2029/30,,,,,,85.0,' data/published/leics_mtfs_editions.csv
check "editions: no source points outside the repository" test "$(grep -c 'shared/' data/published/leics_mtfs_editions.csv)" = 0
check "backtest: the 2026/27 edition is the newest, with its headline" \
    grep -qx 'residual needed -£12.5m in 2029/30, -1.6% of net budget' "$TMP/bt230.txt"
# The sources checked: the 2019 plan's £75m counted the £20m gap as savings; 2022's £100m was needed, not planned.
check "editions: 2019 savings planned £55m, 2022 £54m" \
    test "$(grep -cE '^2019,2019,2019/20,377.0,0.0399,1292.18,55.0,|^2022,2022,2022/23,471.7,0.03,1453.11,54.0,' data/published/leics_mtfs_editions.csv)" = 2

# Out of sample, by hand for the horizon-3 row without the 2022/23 break: the cases are the
# 2022 edition's forecast of 2025/26 (against the 2025 edition) and the 2023 edition's of
# 2026/27 (against the 2026 edition); budget error = projected funding / budget set - 1, gap
# error = modelled - published.  From backtest.csv and the published CSV; table to 0.05.
mtfs backtest -o "$TMP/bt230o" >/dev/null 2>&1
check "out of sample: the CSV of every case is written" test -s "$TMP/bt230o/backtest_out_of_sample.csv"
check "out of sample: horizon 3 without the break, by hand" python3 -c "
import csv, re, sys
bt = {(r['edition'], r['year']): r for r in csv.DictReader(open('$TMP/bt230.csv'))}
pub = {(r['edition'], r['year']): r for r in csv.DictReader(open('data/published/leics_mtfs_editions.csv'))}
pairs = [('2022', '2025'), ('2023', '2026')]
b = [100 * (float(bt[k, j]['projected_funding']) / float(pub[j, j]['net_budget_m']) - 1) for k, j in pairs]
g = [float(bt[k, j]['modelled_gap']) - float(pub[j, j]['gap_m']) for k, j in pairs]
mb, mab, mg, mag = sum(b) / 2, sum(map(abs, b)) / 2, sum(g) / 2, sum(map(abs, g)) / 2
line = [l for l in open('$TMP/bt230.txt') if re.match(r'^3 +no break ', l)][0].split()
got = [float(x.rstrip('%')) for x in (line[4], line[5], line[7], line[8])]
ok = line[3] == '2' and line[6] == '2' and all(abs(x - y) < 0.05 for x, y in zip(got, [mb, mab, mg, mag]))
print(line, mb, mab, mg, mag) if not ok else None
sys.exit(0 if ok else 1)"
check "out of sample: the 2022 edition's 2024/25 funding against the £567.6m set, exact" python3 -c "
import csv, sys
bt = [r for r in csv.DictReader(open('$TMP/bt230.csv')) if r['edition'] == '2022' and r['year'] == '2024'][0]
o = [r for r in csv.DictReader(open('$TMP/bt230o/backtest_out_of_sample.csv'))
     if r['forecast_edition'] == '2022' and r['year'] == '2024' and r['measure'] == 'budget'][0]
want = 100 * (float(bt['projected_funding']) - 567.6) / 567.6
sys.exit(0 if o['horizon'] == '2' and o['spans_break'] == '0' and abs(float(o['error']) - want) < 1e-9 else 1)"
check "out of sample: a case across the break is flagged (2021 edition, 2022/23 budget)" \
    grep -q '^2021,2022,2022,2022/23,1,budget,[^,]*,471.7,[^,]*,1$' "$TMP/bt230o/backtest_out_of_sample.csv"
