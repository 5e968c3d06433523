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

