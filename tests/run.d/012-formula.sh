# tests/run.d/012-formula.sh - fair-funding formulas: mtfs formula, its CSV and its errors.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP, $MTFS).

mtfs formula formulas/per_head_average.cfg --authority E10000018 >"$TMP/formula.txt"
check "formula exits 0" test $? = 0
check "formula sums Leicestershire up in words" \
    grep -q '^Leicestershire: £418.4m now, £481.0m under this formula (+£62.6m a year, +15.0%)' "$TMP/formula.txt"
check "formula marks the authority" grep -q '^> Leicestershire ' "$TMP/formula.txt"
mtfs formula formulas/leicestershire_model.cfg --format csv >"$TMP/formula.csv"
check "formula CSV: one row per county of 2020-21" test "$(wc -l <"$TMP/formula.csv")" = 26
check "formula CSV keeps the control total" python3 -c "
import csv, sys
rows = list(csv.DictReader(open('$TMP/formula.csv')))
sys.exit(abs(sum(float(r['final']) for r in rows) - sum(float(r['baseline']) for r in rows)) > 1e-6)"
expect_status 2 "formula with an unknown authority" formula formulas/status_quo.cfg --authority Atlantis
check "formula authority message" grep -qx "mtfs: --authority 'Atlantis' is not in the formula's scope (expected a code such as E10000018 or a name)" "$TMP/err"
printf 'name = "bad";\ndata = "../../data/mini.csv";\nbaseline = "baseline";\nblocks = ( { name = "x"; weight = 1.0; drivers = { populaton = 1.0; }; } );\n' >tests/good/formula/.bad.cfg
expect_status 2 "formula with an unknown column" formula tests/good/formula/.bad.cfg
check "formula column message suggests the nearest" \
    grep -qx "tests/good/formula/.bad.cfg:4: key 'blocks\[1\].drivers.populaton': no column 'populaton' in the data (did you mean 'population'?)" "$TMP/err"
rm -f tests/good/formula/.bad.cfg
mtfs formula formulas/ffr_like.cfg --authority Leicestershire -o "$TMP/ffr" >/dev/null
check "formula -o writes the CSV and the winners-and-losers chart" \
    test -s "$TMP/ffr/ffr_like.csv" -a -s "$TMP/ffr/ffr_like.png"
check "formula -o CSV equals --format csv" bash -c "'$MTFS' formula formulas/ffr_like.cfg --format csv | cmp -s - '$TMP/ffr/ffr_like.csv'"
