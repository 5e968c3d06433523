# tests/run.d/150-dsg.sh - the high-needs (DSG) deficit block (docs/model.md
# section 11, docs/scenario-format.md "dsg"): the shipped case, the columns
# and bridge lines only with the block, the property that a block with no
# deficit changes nothing, inheritance and remove, uncertainty on its inputs.
# Sourced by tests/run.sh; the arithmetic is tests/unit/test_dsg.c's, the
# bad inputs tests/bad/dsg_*.cfg.

for f in tests/good/dsg/*.cfg; do
    check "dsg: $f validates" mtfs validate -q "$f"
done

# The shipped case: the write-off, the override's end and the charge to reserves.
mtfs run scenarios/leics_2025_dsg.cfg --format csv >"$TMP/dsg.csv" 2>"$TMP/err"
check "dsg: the shipped case runs" test -s "$TMP/dsg.csv"
check "dsg: shipped case by hand (118, 56.8, 101.8, then 101.8 to reserves)" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('$TMP/dsg.csv')))
D = [float(r['dsg_cumulative']) for r in rows]
R = [float(r['dsg_reserves_charge']) for r in rows]
E = [float(r['dsg_expenditure_charge']) for r in rows]
ok = all(abs(a - b) < 1e-9 for a, b in zip(D, [118.0, 56.8, 101.8, 0.0]))
ok = ok and all(abs(a - b) < 1e-9 for a, b in zip(R, [0.0, 0.0, 0.0, 101.8])) and E == [0.0] * 4
sys.exit(not ok)"

# Without the block: no DSG column, table row or bridge line; with it: the four
# columns at the end of CSV, JSON and the workbook's Data sheet, in docs/outputs.md.
mtfs run scenarios/leics_2025_central.cfg --format csv >"$TMP/central.csv"
check "dsg: no DSG column without the block" bash -c "! grep -q dsg '$TMP/central.csv'"
check "dsg: no DSG bridge line without the block" bash -c "! mtfs_out=\$('$MTFS' bridge scenarios/leics_2025_central.cfg --format csv); ! echo \"\$mtfs_out\" | grep -q dsg"
check "dsg: the DSG columns come last" \
    test "$(head -1 "$TMP/dsg.csv" | cut -d, -f31-)" = "dsg_in_year,dsg_cumulative,dsg_expenditure_charge,dsg_reserves_charge"
check "dsg: every other column is the central case's" \
    test "$(cut -d, -f1-30 "$TMP/dsg.csv" | tail -n +2 | cut -d, -f1-7)" = "$(tail -n +2 "$TMP/central.csv" | cut -d, -f1-7)"
mtfs run scenarios/leics_2025_dsg.cfg --format json >"$TMP/dsg.json"
mtfs run scenarios/leics_2025_dsg.cfg -o "$TMP/dsg-xl" --xlsx >/dev/null 2>&1
check "dsg: CSV, JSON and workbook carry the same 34 columns, each in docs/outputs.md" python3 -c "
import json, zipfile, re, sys
csv_keys = open('$TMP/dsg.csv').readline().strip().split(',')
doc = json.load(open('$TMP/dsg.json'))
json_keys = list(doc['years'][0].keys())
z = zipfile.ZipFile('$TMP/dsg-xl/leics_2025_dsg.xlsx')
shared = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())
sheets = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
data = z.read('xl/worksheets/sheet%d.xml' % (sheets.index('Data') + 1)).decode()
row1 = re.search(r'<row r=\"1\"[^>]*>(.*?)</row>', data).group(1)
xl_keys = [shared[int(v)] for v in re.findall(r'<v>([0-9]+)</v>', row1)]
docs = open('docs/outputs.md').read()
ok = csv_keys == json_keys == xl_keys and len(csv_keys) == 34
ok = ok and all('| \`%s\` |' % k for k in csv_keys[2:]) and all(('| \`%s\` |' % k) in docs for k in csv_keys[2:])
ok = ok and abs(sum(doc['bridge'].values()) - doc['years'][-1]['gap']) < 1e-9 and 'dsg' in doc['bridge']
if not ok: print(csv_keys, json_keys, xl_keys)
sys.exit(not ok)"
mtfs run scenarios/leics_2025_dsg.cfg >"$TMP/dsg.txt"
check "dsg: the table shows the charge to reserves under reserves" \
    grep -qE '^  high-needs deficit to reserves +0\.0 +0\.0 +0\.0 +101\.8$' "$TMP/dsg.txt"
check "dsg: the table shows the cumulative deficit" \
    grep -qE '^  cumulative, under the override +118\.0 +56\.8 +101\.8 +0\.0$' "$TMP/dsg.txt"
mtfs bridge scenarios/leics_2025_dsg.cfg >"$TMP/dsg-bridge.txt"
check "dsg: the bridge has the spending item and the reserves line" bash -c "
grep -qE '^  High-needs deficit charged +0\.0$' '$TMP/dsg-bridge.txt' &&
grep -qE '^High-needs deficit charged to reserves +101\.8$' '$TMP/dsg-bridge.txt'"

# A block with no deficit at all gives the old numbers exactly, in every
# column the old file had.
printf 'base = "%s/scenarios/leics_2025_central.cfg";\ndsg = { opening = 0.0; in_year = 0.0; override_end = 2026; treatment = "reserves"; };\n' \
    "$PWD" >"$TMP/dsg-zero.cfg"
mtfs run "$TMP/dsg-zero.cfg" --format csv >"$TMP/dsg-zero.csv"
check "dsg: a zero deficit gives the central case's numbers exactly" \
    test "$(cut -d, -f1-30 "$TMP/dsg-zero.csv")" = "$(cat "$TMP/central.csv")"

# Inheritance: a derived file changes one key; remove takes a key away.
printf 'base = "%s/scenarios/leics_2025_dsg.cfg";\ndsg = { treatment = "spread"; years = 4; };\n' "$PWD" >"$TMP/dsg-spread.cfg"
mtfs run "$TMP/dsg-spread.cfg" --format csv >"$TMP/dsg-spread.csv"
check "dsg: an inherited block takes a new treatment (101.8 / 4 in 2028/29)" \
    test "$(tail -1 "$TMP/dsg-spread.csv" | cut -d, -f33-)" = "25.45,0"
printf 'base = "%s/scenarios/leics_2025_dsg.cfg";\nremove = ["dsg.support_share", "dsg.support_year"];\n' "$PWD" >"$TMP/dsg-nosupport.cfg"
mtfs run "$TMP/dsg-nosupport.cfg" --format csv >"$TMP/dsg-nosupport.csv"
check "dsg: removing the write-off leaves 73 + 3 x 45 = 208 to reserves" \
    test "$(tail -1 "$TMP/dsg-nosupport.csv" | cut -d, -f34)" = "208"
printf 'base = "%s/scenarios/leics_2025_dsg.cfg";\nremove = ["dsg"];\n' "$PWD" >"$TMP/dsg-removed.cfg"
mtfs run "$TMP/dsg-removed.cfg" --format csv >"$TMP/dsg-removed.csv"
check "dsg: removing the block gives the central case" cmp -s "$TMP/dsg-removed.csv" "$TMP/central.csv"

# Uncertainty may drive the deficit's inputs.
printf 'base = "%s/scenarios/leics_2025_dsg.cfg";\ndsg = { treatment = "spread"; years = 2; central_from = 2029; };\nuncertainty = { seed = 3; paths = 200; parameters = ( { key = "dsg.in_year"; dist = "normal"; mean = 45.0; sd = 10.0; apply = "value"; } ); };\n' \
    "$PWD" >"$TMP/dsg-mc.cfg"
check "dsg: a distribution on dsg.in_year validates" mtfs validate -q "$TMP/dsg-mc.cfg"
mtfs mc "$TMP/dsg-mc.cfg" --format csv >"$TMP/dsg-mc.csv" 2>"$TMP/err"
check "dsg: Monte Carlo varies the deficit that reaches the gap" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('$TMP/dsg-mc.csv')))
first, last = rows[0], rows[-1]
ok = float(first['gap_p90']) == float(first['gap_p10'])       # 2025/26: no deficit reaches the gap
ok = ok and float(last['gap_p90']) - float(last['gap_p10']) > 10.0
sys.exit(not ok)"
