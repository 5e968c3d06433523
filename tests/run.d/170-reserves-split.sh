# tests/run.d/170-reserves-split.sh - the general fund and earmarked reserves
# (docs/model.md "Reserves: general fund and earmarked").  By hand from
# tests/good/hand_earmarked.cfg (gaps 33.9606 and 46.45228368; GF 40,
# minimum 10, contributions [0, 1]):
#   2025/26  earmarked 18 + 14 + 5 = 37; GF 40 - 33.9606 = 6.0394 (below the
#            minimum); usable 43.0394
#   2026/27  insurance 18.5, schools 13, transformation 5 - 8: 0 and 3 on GF;
#            GF 6.0394 + 1 - 3 = 4.0394 to 0, insurance's 18.5 drawn, schools
#            (not available) never, GF -23.91288368; usable -10.91288368
#            (exhausted).
# Sourced by tests/run.sh (uses check, mtfs, expect_status, $TMP).

E=tests/good/hand_earmarked.cfg
mtfs run "$E" --format csv >"$TMP/em.csv"
check "earmarked: CSV gains earmarked, earmarked_drawn, usable_reserves at the end, by hand" python3 -c "
import csv
rows = list(csv.DictReader(open('$TMP/em.csv')))
head = open('$TMP/em.csv').readline().strip().split(',')
assert head[-3:] == ['earmarked', 'earmarked_drawn', 'usable_reserves'], head
want = [(6.0394, 37, 0, 43.0394), (-23.91288368, 13, 18.5, -10.91288368)]
for r, w in zip(rows, want):
    got = (float(r['reserves']), float(r['earmarked']), float(r['earmarked_drawn']), float(r['usable_reserves']))
    assert all(abs(a - b) <= 1e-9 for a, b in zip(got, w)), (got, w)"
mtfs run tests/good/hand_reserves.cfg --format csv >"$TMP/em-plain.csv"
check "earmarked: a scenario without any has none of the new columns" \
    bash -c "! head -1 '$TMP/em-plain.csv' | grep -q 'earmarked\|usable'"

mtfs run "$E" >"$TMP/em.txt"
check "earmarked: table rows and the two years in words" bash -c "
grep -qx 'General fund at year end               6.0     -23.9' '$TMP/em.txt' &&
grep -qx 'Earmarked reserves at year end        37.0      13.0' '$TMP/em.txt' &&
grep -qx '  drawn for the gap                    0.0      18.5' '$TMP/em.txt' &&
grep -qx 'Usable reserves at year end           43.0     -10.9' '$TMP/em.txt' &&
grep -qx 'Funding gap in 2026/27: £46.5m; opening general fund £40.0m, earmarked reserves £40.0m.' '$TMP/em.txt' &&
grep -qx 'The general fund falls below the £10.0m minimum in 2025/26, closing that year at £6.0m; usable reserves (general fund and earmarked) run out in 2026/27.' '$TMP/em.txt'"

mtfs run "$E" --format json >"$TMP/em.json"
check "earmarked: JSON years and the per-reserve breakdown, by hand" python3 -c "
import json; d = json.load(open('$TMP/em.json'))
assert (d['below_minimum_year'], d['exhausted_year']) == (2025, 2026)
y = d['years'][1]
assert abs(y['usable_reserves'] + 10.91288368) < 1e-9 and y['earmarked_drawn'] == 18.5
em = {r['name']: r for r in d['earmarked_reserves']}
assert list(em) == ['insurance', 'schools', 'transformation']
assert em['insurance']['balance'] == [18, 0] and em['insurance']['drawn_for_gap'] == [0, 18.5]
assert em['schools']['balance'] == [14, 13] and em['schools']['drawn_for_gap'] == [0, 0]
assert em['transformation']['balance'] == [5, 0] and em['transformation']['uses_beyond_balance'] == [0, 3]"
mtfs run tests/good/hand_reserves.cfg --format json >"$TMP/em-plain.json"
check "earmarked: JSON without any has no breakdown" python3 -c "
import json; d = json.load(open('$TMP/em-plain.json'))
assert 'earmarked_reserves' not in d and 'usable_reserves' not in d['years'][0]"

mtfs run "$E" -o "$TMP/em-xl" --xlsx >/dev/null
check "earmarked: the workbook's Data sheet ends with the three columns, Summary names both years apart" python3 -c "
import zipfile, re
z = zipfile.ZipFile('$TMP/em-xl/hand_earmarked.xlsx')
shared = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())
assert 'General fund at year end' in shared and 'Usable reserves at year end' in shared
assert 'The general fund falls below the minimum in 2025/26.' in shared
assert 'Usable reserves (general fund and earmarked) are exhausted in 2026/27.' in shared
sheets = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
data = z.read('xl/worksheets/sheet%d.xml' % (sheets.index('Data') + 1)).decode()
row1 = re.search(r'<row r=\"1\"[^>]*>(.*?)</row>', data).group(1)
keys = [shared[int(v)] for v in re.findall(r'<v>([0-9]+)</v>', row1)]
assert keys[-3:] == ['earmarked', 'earmarked_drawn', 'usable_reserves'], keys"

mtfs batch "$E" --format csv >"$TMP/em-b.csv"
check "earmarked: batch names the two years apart (GF below minimum, usable exhausted)" python3 -c "
import csv; r = list(csv.DictReader(open('$TMP/em-b.csv')))[0]
assert (r['below_minimum_year'], r['exhausted_year']) == ('2025', '2026')"

# Monte Carlo: P(exhausted) follows usable reserves, not the general fund.
cat >"$TMP/em-mc.cfg" <<MC
base = "$PWD/$E";
name = "earmarked mc";
uncertainty = { seed = 5; paths = 200;
  parameters = ( { key = "contingency"; dist = "normal"; sd = 1e-9; } ); };
MC
mtfs mc "$TMP/em-mc.cfg" --format csv >"$TMP/em-mc.csv"
check "earmarked mc: P(below minimum) 1, 1; P(exhausted) 0, 1" python3 -c "
import csv; r = list(csv.DictReader(open('$TMP/em-mc.csv')))
assert [(x['p_reserves_below_minimum'], x['p_reserves_exhausted']) for x in r] == [('1', '0'), ('1', '1')]"

# Inheritance: a what-if changes one reserve by name, removes another, adds one.
cat >"$TMP/em-whatif.cfg" <<W
base = "$PWD/$E";
name = "earmarked what-if";
remove = ["reserves.earmarked.transformation"];
reserves = { earmarked = ( { name = "insurance"; opening = 50; },
                           { name = "spare"; opening = 1; available_for_gap = true; } ); };
W
mtfs run "$TMP/em-whatif.cfg" --format json >"$TMP/em-whatif.json"
check "earmarked: inherited by name, removed, added (insurance 50 covers the 2026/27 gap)" python3 -c "
import json; d = json.load(open('$TMP/em-whatif.json'))
em = {r['name']: r for r in d['earmarked_reserves']}
assert list(em) == ['insurance', 'schools', 'spare'], list(em)
# 2026/27: GF 6.0394 + 1 = 7.0394 to 0; insurance 48.5 - 39.41288368 = 9.08711632; spare untouched
assert abs(em['insurance']['balance'][1] - 9.08711632) < 1e-9 and em['spare']['balance'] == [1, 1]
assert d['exhausted_year'] is None and d['below_minimum_year'] == 2025"
cat >"$TMP/em-rm.cfg" <<W
base = "$PWD/$E";
remove = ["reserves.earmarked.transfromation"];
W
expect_status 2 "earmarked: removing a reserve that is not there" validate "$TMP/em-rm.cfg"
check "earmarked: remove suggests the nearest reserve" grep -q "did you mean 'reserves.earmarked.transformation'" "$TMP/err"
