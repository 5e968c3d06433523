# tests/run.d/011-authorities.sh - the authority data set, data/authorities.csv (issue 6).
# Sourced by tests/run.sh (uses check).

check "data/authorities.csv is well formed" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('data/authorities.csv', newline='', encoding='utf-8')))
codes = [r['code'] for r in rows]
ok = len(rows) > 150 and len(set(codes)) == len(codes)
ok = ok and all(r['code'] and r['name'] and r['type'] in ('county', 'unitary', 'metropolitan', 'london') for r in rows)
ok = ok and all(r['status'] in ('current', 'historic') for r in rows)
leics = [r for r in rows if r['code'] == 'E10000018'][0]
ok = ok and leics['core_spending_power_m'] == '418.42' and leics['csp_year'] == '2020-21'
current = [r for r in rows if r['status'] == 'current' and r['population']]
ok = ok and abs(sum(int(r['population']) for r in current) - 56536419) < 1
for r in rows:
    for col in (r['estimated'] or '').split(';'):
        ok = ok and (not col or col in r)
sys.exit(not ok)"
