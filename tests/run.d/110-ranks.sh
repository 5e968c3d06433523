# tests/run.d/110-ranks.sh - ranks (equal funding per head shares a rank,
# "=2", and float noise is no difference: mtfs_rank) in the formula table,
# CSV, JSON and the brief; and the brief's --format csv|json, whose numbers
# are the Markdown's.  Sourced by tests/run.sh (uses check, mtfs, $TMP).

# tests/data/ties.csv: per head 900, 700 three times (two of them off by
# float noise), 500 twice and 500.00005 (a real difference).
mtfs formula tests/good/formula/ties.cfg --authority Beta >"$TMP/ties.txt"
check "ranks: formula exits 0" test $? = 0
check "ranks: equal values share a rank, the next one skips (1, =2, =2, =2, 5, =6, =6)" \
    test "$(grep -E '^[> ] (Eta|Beta|Alpha|Delta|Gamma|Zeta|Epsilon) ' "$TMP/ties.txt" |
        awk '{ print ($1 == ">" ? $2 : $1) ":" $NF }' | tr '\n' ' ')" = \
        "Eta:1 Beta:=2 Alpha:=2 Delta:=2 Gamma:=6 Zeta:=6 Epsilon:5 "
check "ranks: the sentence says the rank is shared" grep -qxF \
    'Beta: £77.0m now, £77.0m under this formula (no change); rank =2 of 7 by funding per head, shared by 3 authorities.' \
    "$TMP/ties.txt"
mtfs formula tests/good/formula/ties.cfg --format csv >"$TMP/ties.csv"
mtfs formula tests/good/formula/ties.cfg --format json >"$TMP/ties.json"
check "ranks: CSV and JSON carry the same rank and how many share it" python3 - "$TMP/ties.csv" "$TMP/ties.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
doc = json.load(open(sys.argv[2]))
want = {'Eta': (1, 1), 'Beta': (2, 3), 'Alpha': (2, 3), 'Delta': (2, 3),
        'Gamma': (6, 2), 'Zeta': (6, 2), 'Epsilon': (5, 1)}
got = {r['name']: (int(r['rank']), int(r['rank_shared_by'])) for r in rows}
assert got == want, got
assert {r['name']: (r['rank'], r['rank_shared_by']) for r in doc['rows']} == want
# the noise is there: Alpha's and Delta's per head are not exactly Beta's
assert len({r['final_per_head'] for r in rows if r['name'] in ('Alpha', 'Beta', 'Delta')}) == 3
PY
# Every shire county at the average per head: one rank shared by all 25.
mtfs formula formulas/per_head_average.cfg --authority Leicestershire >"$TMP/avg.txt"
check "ranks: everyone at the average is =1 of 25" grep -qF \
    'rank =1 of 25 by funding per head, shared by all 25 authorities.' "$TMP/avg.txt"
check "ranks: every row of that table shows =1" \
    test "$(grep -c ' =1$' "$TMP/avg.txt")" = 25

# The brief: a formula that funds everyone at one level ranks them =1.
mtfs brief tests/good/brief_mini.cfg >"$TMP/mini.md"
check "ranks: the brief shows a shared rank as =1 of 4" \
    grep -qF '| mini at Beta'"'"'s level | `tests/good/formula/level_of.cfg` | 50.0 | 40.0 | -£10.0m | -20.0% | =1 of 4 |' \
    "$TMP/mini.md"
check "ranks: the brief shows a rank of its own without =" \
    grep -qF '| mini needs | `tests/good/formula/needs.cfg` | 50.0 | 38.5 | -£11.5m | -23.0% | 1 of 4 |' "$TMP/mini.md"

# brief --format csv|json: the Markdown's numbers, one set of columns.
B=scenarios/leics_2025_fair_funding.cfg
mtfs brief "$B" >"$TMP/brief.md"
mtfs brief "$B" --format csv >"$TMP/brief.csv"
check "brief --format csv exits 0" test $? = 0
mtfs brief "$B" --format json >"$TMP/brief.json"
check "brief --format json exits 0" test $? = 0
check "brief CSV and JSON: the Markdown's numbers" python3 - "$TMP/brief.md" "$TMP/brief.csv" "$TMP/brief.json" <<'PY'
import csv, json, re, sys
md = open(sys.argv[1], encoding='utf-8').read()
rows = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))
head, body = rows[0], rows[1:]
assert len({len(r) for r in rows}) == 1, 'field counts differ'
assert head[:17] == ['item', 'name', 'code', 'tier', 'data_line', 'members', 'population',
                     'core_spending_power_m', 'per_head', 'file', 'now_m', 'under_m', 'change_m',
                     'change_pct', 'rank', 'rank_shared_by', 'rank_out_of'], head
assert head[17:19] == ['price_factor', 'change_base_m'], head
years = head[19:]
assert years == ['gap_2025', 'gap_2026', 'gap_2027', 'gap_2028'], years
doc = json.load(open(sys.argv[3], encoding='utf-8'))
assert doc['columns'] == head and doc['metadata']['command'] == 'brief'
assert {'scenarios/leics_2025_fair_funding.cfg', 'data/authorities.csv', 'formulas/ffr_like.cfg'} <= \
    {f['path'] for f in doc['metadata']['files']}
assert len(doc['rows']) == len(body)
for r, j in zip(body, doc['rows']):
    for k, v in zip(head, r):
        assert (j[k] is None) if v == '' else (j[k] == v if k in ('item', 'name', 'code', 'tier', 'file')
                                               else abs(j[k] - float(v)) < 1e-12 * max(1, abs(float(v)))), (k, v, j[k])
rec = [dict(zip(head, r)) for r in body]
def table(title):
    lines = md.split(title, 1)[1].split('\n')
    start = next(i for i, l in enumerate(lines) if l.startswith('|'))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith('|'))
    return [[c.strip() for c in l.strip().strip('|').split('|')] for l in lines[start + 2:end]]
def num(t):
    return float(re.sub(r'[£,m%+]', '', t).replace('−', '-'))
def money(x):
    return ('+' if round(x, 1) > 0 else '-' if round(x, 1) < 0 else '') + '£{:,.1f}m'.format(abs(x))
per_head = table('## Funding per head')
assert len(per_head) == 12 and [r['item'] for r in rec[:12]] == ['authority'] + ['comparator'] * 8 + ['group'] * 3
for m, r in zip(per_head, rec):
    assert m[0].strip('*').startswith(r['name']), (m[0], r['name'])
    assert num(m[1]) == round(float(r['population'])), m
    P = float(r['price_factor'])
    assert m[2] == '£{:,.1f}m'.format(float(r['core_spending_power_m'])), m
    assert m[3] == '£{:,.1f}m'.format(P * float(r['core_spending_power_m'])), m
    assert num(m[4]) == round(float(r['per_head'])), m
    assert m[5] == ('—' if r['item'] == 'authority' else money(float(r['change_m']))), (m, r['change_m'])
    assert m[6] == ('—' if r['item'] == 'authority' else money(float(r['change_base_m']))), (m, r['change_base_m'])
formulas = table('## What each formula gives')
frec = [r for r in rec if r['item'] == 'formula']
assert len(formulas) == len(frec) == 6
for m, r in zip(formulas, frec):
    assert m[0] == r['name'] and m[1] == '`%s`' % r['file'], m
    assert m[2] == '%.1f' % float(r['now_m']) and m[3] == '%.1f' % float(r['under_m']), m
    assert m[4] == money(float(r['change_m'])), m
    P = float(r['price_factor'])
    assert m[5] == '{:,.1f}'.format(P * float(r['now_m'])) and m[6] == '{:,.1f}'.format(P * float(r['under_m'])), m
    assert m[7] == money(float(r['change_base_m'])), m
    rank = ('=' if int(r['rank_shared_by']) > 1 else '') + r['rank']
    assert m[9] == '%s of %s' % (rank, r['rank_out_of']), (m, rank)
ranks = {r['file']: m[9] for m, r in zip(formulas, frec)}
assert ranks['formulas/per_head_of_surrey.cfg'] == '=1 of 25' and ranks['formulas/status_quo.cfg'] == '24 of 25', ranks
gaps = {m[0]: m[1:] for m in table('## The MTFS gap')}
def shown(x):
    return '%.1f' % (0.0 if abs(x) < 0.05 else x)
assert gaps['Without reform'] == [shown(float(rec[0][y])) for y in years]
for r in rec[1:]:
    label = ('Funded at the average of: ' if r['item'] == 'group' else 'Funded at the level of ') + r['name']
    case = gaps.get(label) or gaps.get(r['name']) or gaps.get('This scenario: ' + r['name'])
    if case is None:   # shown once under an equal case: find it by its numbers
        case = next(v for v in gaps.values() if v == [shown(float(r[y])) for y in years])
    assert case == [shown(float(r[y])) for y in years], (r['name'], case)
PY
mtfs brief "$B" -o "$TMP/brief-o" --plot none >"$TMP/brief-o.out"
check "brief -o writes brief.csv beside brief.md, as --format csv" \
    cmp -s "$TMP/brief-o/brief.csv" "$TMP/brief.csv"
check "brief -o still names brief.md on standard output" grep -qx "$TMP/brief-o/brief.md" "$TMP/brief-o.out"
mtfs brief "$B" -o "$TMP/brief-o2" --plot none --format csv >"$TMP/brief-o2.out"
check "brief -o --format csv prints the CSV" cmp -s "$TMP/brief-o2.out" "$TMP/brief.csv"
mtfs brief "$B" --format table >"$TMP/brief-table.md"
check "brief --format table is the Markdown" cmp -s "$TMP/brief-table.md" "$TMP/brief.md"
mtfs brief scenarios/leics_2025_central.cfg --format json >"$TMP/brief-err.json" 2>/dev/null
check "brief --format json: an error is a JSON error object" python3 -c "
import json, sys
d = json.load(open('$TMP/brief-err.json'))
sys.exit(not (d['exit_code'] == 2 and 'fair_funding' in d['errors'][0]))"
