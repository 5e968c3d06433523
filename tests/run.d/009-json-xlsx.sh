# tests/run.d/009-json-xlsx.sh - the JSON and workbook exports of run.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

mtfs run scenarios/leics_2020_covid.cfg --format json >"$TMP/a.json"
mtfs run scenarios/leics_2020_covid.cfg --format json >"$TMP/b.json"
check "run --format json is byte-identical across runs" cmp -s "$TMP/a.json" "$TMP/b.json"
check "JSON holds provenance and the numbers" python3 -c "
import json, sys
d = json.load(open('$TMP/a.json'))
m = d['metadata']
ok = m['engine'] == 'mtfs' and len(m['files']) == 2 and all(len(f['sha256']) == 64 for f in m['files'])
ok = ok and len(d['years']) == 4 and abs(d['years'][0]['covid_pressure'] - 18.0) < 1e-9
ok = ok and abs(sum(d['bridge'].values()) - d['years'][-1]['gap']) < 1e-9
sys.exit(not ok)"
mtfs run scenarios/leics_2025_central.cfg -o "$TMP/xl" --xlsx >/dev/null 2>"$TMP/err"
check "run -o --xlsx writes a workbook" test -s "$TMP/xl/leics_2025_central.xlsx"
check "the workbook has the six sheets" python3 -c "
import zipfile, re, sys
z = zipfile.ZipFile('$TMP/xl/leics_2025_central.xlsx')
names = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
sys.exit(names != ['Summary', 'Services', 'Funding', 'Bridge', 'Inputs', 'Data'])"
# One set of run columns: the CSV header, each JSON year and the workbook's
# Data sheet name the same columns in the same order; JSON services carry
# every column of the services CSV.
mtfs run scenarios/leics_2025_central.cfg --format json >"$TMP/cols.json"
mtfs run scenarios/leics_2025_central.cfg --format csv >"$TMP/cols.csv"
check "CSV, JSON and workbook carry the same run columns" python3 -c "
import json, zipfile, re, sys
csv_keys = open('$TMP/cols.csv').readline().strip().split(',')
doc = json.load(open('$TMP/cols.json'))
json_keys = list(doc['years'][0].keys())
z = zipfile.ZipFile('$TMP/xl/leics_2025_central.xlsx')
shared = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())
sheets = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
data = z.read('xl/worksheets/sheet%d.xml' % (sheets.index('Data') + 1)).decode()
row1 = re.search(r'<row r=\"1\"[^>]*>(.*?)</row>', data).group(1)
xl_keys = [shared[int(v)] for v in re.findall(r'<v>([0-9]+)</v>', row1)]
svc = [k for k in doc['services'][0].keys() if k != 'name']
want_svc = ['recurring', 'spending', 'inflation', 'savings_planned', 'savings_delivered', 'savings_undelivered',
            'gross', 'income']
ok = csv_keys == json_keys == xl_keys and len(csv_keys) == 30 and svc == want_svc
if not ok: print(csv_keys, json_keys, xl_keys, svc)
sys.exit(not ok)"
expect_status 2 "--xlsx needs -o" run scenarios/leics_2025_central.cfg --xlsx
check "docs/outputs.md lists every run column" bash -c "
for key in \$(head -1 '$TMP/cols.csv' | tr ',' ' ' | cut -d' ' -f3-); do
    grep -q \"| \\\`\$key\\\` |\" docs/outputs.md || { echo \"missing \$key\"; exit 1; }
done"
