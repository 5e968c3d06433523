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
check "the workbook has the five sheets" python3 -c "
import zipfile, re, sys
z = zipfile.ZipFile('$TMP/xl/leics_2025_central.xlsx')
names = re.findall(r'<sheet name=\"([^\"]+)\"', z.read('xl/workbook.xml').decode())
sys.exit(names != ['Summary', 'Services', 'Funding', 'Bridge', 'Inputs'])"
expect_status 2 "--xlsx needs -o" run scenarios/leics_2025_central.cfg --xlsx
