# tests/run.d/090-formats.sh - every CSV and JSON document any command
# writes, on stdout or under -o, is well formed: a CSV parses (RFC 4180)
# with the same number of fields on every row, and a JSON number is the
# shortest text that reads back to the same double (0.05, never
# 0.050000000000000003) and never -0.  The third field of a line below
# is what keeps -o from drawing charts, where the command draws them.  Sourced by tests/run.sh (uses
# check, mtfs, $TMP).

F="$TMP/formats"
rm -rf "$F"
mkdir -p "$F"
n=0
while IFS='|' read -r name args plot; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # args and plot are word lists on purpose
    mtfs $args --format csv >"$F/$n.csv" 2>"$F/$n.csv.err"
    check "$name --format csv exits 0" test $? -eq 0
    # shellcheck disable=SC2086
    mtfs $args --format json >"$F/$n.json" 2>"$F/$n.json.err"
    check "$name --format json exits 0" test $? -eq 0
    mkdir -p "$F/o$n"
    # shellcheck disable=SC2086
    mtfs $args -o "$F/o$n" $plot >/dev/null 2>"$F/o$n.err"
    check "$name -o DIR exits 0" test $? -eq 0
done <<'EOF'
run|run scenarios/leics_2025_central.cfg|--plot none
run with Covid|run scenarios/leics_2020_covid.cfg|--plot none
compare|compare scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg scenarios/leics_2025_savings_70.cfg|--plot none
bridge|bridge scenarios/leics_2020_covid.cfg|--plot none
sensitivity|sensitivity scenarios/leics_2025_central.cfg
batch|batch scenarios
mc|mc scenarios/leics_2025_uncertainty.cfg --paths 2000 --seed 7|--plot none
tornado|tornado scenarios/leics_2025_uncertainty.cfg|--plot none
goalseek|goalseek scenarios/leics_2025_central.cfg --target gap[2028]<=0 --lever council_tax
formula|formula formulas/ffr_like.cfg|--plot none
brief|brief scenarios/leics_2025_fair_funding.cfg|--plot none
backtest|backtest|--plot none
EOF

check "every CSV written ($(find "$F" -name '*.csv' | wc -l) files) has one field count per file" python3 -c "
import csv, glob, sys
bad = []
files = glob.glob('$F/*.csv') + glob.glob('$F/o*/*.csv')
for name in files:
    with open(name, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    if not rows or len({len(r) for r in rows}) != 1:
        bad.append((name, sorted({len(r) for r in rows})))
if bad or len(files) < 20: print(len(files), bad)
sys.exit(bool(bad) or len(files) < 20)"

check "every JSON number is the shortest exact form, never -0" python3 -c "
import glob, json, re, sys
bad = []
files = glob.glob('$F/*.json') + glob.glob('$F/o*/*.json')
def digits(t):
    m = t.lstrip('-').split('e')[0].split('E')[0].replace('.', '').lstrip('0').rstrip('0')
    return len(m)
for name in files:
    text = open(name, encoding='utf-8').read()
    json.loads(text)
    # numbers outside strings: drop the strings first
    bare = re.sub(r'\"(?:[^\"\\\\]|\\\\.)*\"', '\"\"', text)
    for t in re.findall(r'(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?', bare):
        x = float(t)
        if t.startswith('-') and x == 0:
            bad.append((name, t))
        elif ('.' in t or 'e' in t.lower()) and digits(t) > digits(repr(x)):
            bad.append((name, t, repr(x)))
if bad or len(files) < 15: print(len(files), bad[:5])
sys.exit(bool(bad) or len(files) < 15)"
