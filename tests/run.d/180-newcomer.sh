# tests/run.d/180-newcomer.sh - what a new user tripped over (issue 15's
# walk-through): names typed in other capitals, a scenario given to formula,
# -o into a folder that does not exist yet, -0 and float noise in tables,
# digits grouped in tables, no table line ending in a space, mc's wording,
# the Summary sheet's block rows, make check naming its sections.
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, expect_status, $TMP).

NC="$TMP/newcomer"
mkdir -p "$NC"

# same NAME WANT FILE: FILE holds exactly the text WANT.
same() {
    if [ "$(cat "$3")" = "$2" ]; then pass; else
        fail "$1"
        diff <(printf '%s\n' "$2") "$3" | sed 's/^/    /'
    fi
}

# --- --authority: any capitals when only one authority matches; else the nearest name ---
mtfs formula formulas/per_head_of_surrey.cfg --authority leicestershire >"$NC/lower.txt" 2>&1
mtfs formula formulas/per_head_of_surrey.cfg --authority Leicestershire >"$NC/exact.txt" 2>&1
check "--authority in lower case is the authority" cmp -s "$NC/lower.txt" "$NC/exact.txt"
mtfs formula formulas/per_head_of_surrey.cfg --authority e10000018 >"$NC/code.txt" 2>&1
check "--authority code in lower case" cmp -s "$NC/code.txt" "$NC/exact.txt"
expect_status 2 "--authority misspelt" formula formulas/per_head_of_surrey.cfg --authority Leicestershir
same "--authority misspelt: did you mean" \
    "mtfs: --authority 'Leicestershir' is not in the formula's scope (did you mean 'Leicestershire'?)" "$TMP/err"
expect_status 2 "--authority outside the scope" formula formulas/per_head_of_surrey.cfg --authority Camden
same "--authority outside the scope: says so" \
    "mtfs: --authority 'Camden' is in data/authorities.csv but not in the formula's scope (expected one of the 25 authorities it allocates to)" "$TMP/err"

# --- a scenario file given to formula is named as one ---
for f in leics_2025_central leics_2025_savings_70; do
    expect_status 2 "formula given scenario $f" formula scenarios/$f.cfg
    same "formula given scenario $f: says it is a scenario" \
        "scenarios/$f.cfg:1: is a scenario file, not a fair-funding formula (expected a formula file such as formulas/per_head_average.cfg; a scenario is read by 'mtfs run scenarios/$f.cfg' and by validate, compare, bridge, sensitivity, batch, mc, tornado, goalseek and brief)" "$TMP/err"
done

# --- -o makes every missing level, for every command that writes files ---
umask_was=$(umask)
umask 027
expect_status 0 "run -o new/deep/dir" run scenarios/leics_2025_central.cfg -o "$NC/o1/a/b/c" --plot none
check "run -o new/deep/dir writes there" test -s "$NC/o1/a/b/c/leics_2025_central.csv"
check "made levels take the umask" test "$(stat -c %a "$NC/o1/a")" = 750
expect_status 0 "formula -o new/deep/dir" formula formulas/status_quo.cfg -o "$NC/o2/x/y" --plot none
check "formula -o new/deep/dir writes there" test -s "$NC/o2/x/y/status_quo.csv"
expect_status 0 "bridge -o new/deep/dir" bridge scenarios/leics_2025_central.cfg -o "$NC/o3/x/y" --plot none
umask "$umask_was"
: >"$NC/file"
expect_status 3 "-o under a file" run scenarios/leics_2025_central.cfg -o "$NC/file/sub" --plot none
same "-o under a file: says why" "$NC/file/sub: cannot create directory: Not a directory" "$TMP/err"

# --- tables: no -0, a change under half the last digit is 0; digits grouped ---
mtfs formula formulas/status_quo.cfg >"$NC/sq.txt"
check "formula table: status quo has no -0.0" bash -c "! grep -q -- '-0\.0' '$NC/sq.txt'"
check "formula table: status quo changes are 0.0" \
    grep -q '^  Cambridgeshire  *412\.8  *412\.8  *0\.0  *0\.0%  *607  *23$' "$NC/sq.txt"
check "formula table: totals grouped" grep -q '^  Total  *14,704\.5  *14,704\.4  *0\.0$' "$NC/sq.txt"
mtfs formula formulas/per_head_of_surrey.cfg >"$NC/surrey.txt"
check "formula table: Surrey's own change is 0.0" \
    grep -q '^  Surrey  *919\.3  *919\.3  *0\.0  *0\.0%  *763  *=1$' "$NC/surrey.txt"
check "formula table: over 1,000 grouped" grep -q '^  Kent  *1,048\.0  *1,203\.6  *+155\.6 ' "$NC/surrey.txt"
mtfs formula formulas/status_quo.cfg --format csv >"$NC/sq.csv"
check "formula CSV: never -0" bash -c "! grep -qE ',-0(,|\$)' '$NC/sq.csv'"

# --- no table line of any command ends in a space ---
S=scenarios/leics_2025_central.cfg U=scenarios/leics_2025_uncertainty.cfg
{
    mtfs run $S; mtfs run scenarios/leics_2020_covid.cfg; mtfs run scenarios/leics_2025_fair_funding.cfg
    mtfs bridge $S; mtfs sensitivity $S; mtfs validate $S
    mtfs compare $S scenarios/leics_2025_savings_70.cfg scenarios/leics_2020_covid.cfg
    mtfs batch $S scenarios/leics_2025_ct_freeze.cfg
    mtfs mc $U --paths 200 --quiet -T -5; mtfs tornado $U --paths 200 --quiet
    mtfs goalseek $S --target 'gap[2028] <= 0' --lever council_tax
    mtfs formula formulas/per_head_of_surrey.cfg --authority Leicestershire
    mtfs brief scenarios/leics_2025_fair_funding.cfg; mtfs backtest
} >"$NC/tables.txt" 2>&1
check "every command's table printed" test "$(wc -l <"$NC/tables.txt")" -gt 300
check "no table line ends in a space" bash -c "! grep -n ' \$' '$NC/tables.txt'"

# --- mc: one path, negative thresholds as money everywhere else ---
mtfs mc $U --paths 1 --quiet -T -5 >"$NC/mc1.txt"
check "mc: 1 path, singular" grep -qx 'Monte Carlo: 1 path, seed 20250226; £m' "$NC/mc1.txt"
check "mc: a negative threshold is -£5.0m" grep -q '^  gap above -£5\.0m  ' "$NC/mc1.txt"
check "mc: the £ row lines up with the others" python3 -c "
import sys
rows = [l.rstrip('\n') for l in open('$NC/mc1.txt', encoding='utf-8') if l.startswith(('  gap above', '  reserves below'))]
sys.exit(len(rows) != 2 or len(rows[0]) != len(rows[1]))"

# --- the Summary sheet shows a block's rows only with the block ---
mtfs run $S -o "$NC/xl" --xlsx --plot none >/dev/null
mtfs run scenarios/leics_2020_covid.cfg -o "$NC/xl" --xlsx --plot none >/dev/null
summary_has() { # summary_has FILE TEXT: the workbook's Summary sheet shows TEXT
    python3 -c "
import zipfile, re, sys
z = zipfile.ZipFile('$1')
shared = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())
sheet = z.read('xl/worksheets/sheet1.xml').decode()
used = {shared[int(v)].strip() for v in re.findall(r't=\"s\"[^>]*><v>([0-9]+)</v>', sheet)}
sys.exit('$2' not in used)"
}
not() { ! "$@"; }
check "Summary: no Covid rows without a covid block" not summary_has "$NC/xl/leics_2025_central.xlsx" "net Covid pressure"
check "Summary: no reform row without a fair_funding block" not summary_has "$NC/xl/leics_2025_central.xlsx" "fair-funding reform"
check "Summary: Covid rows with the covid block" summary_has "$NC/xl/leics_2020_covid.xlsx" "net Covid pressure"

# --- bridge --year puts the year in the file names: two years side by side ---
mtfs bridge scenarios/leics_2025_central.cfg --year 2026 -o "$NC/by" --plot svg >/dev/null
mtfs bridge scenarios/leics_2025_central.cfg --year 2027/28 -o "$NC/by" --plot svg >/dev/null
mtfs bridge scenarios/leics_2025_central.cfg -o "$NC/by" --plot svg >/dev/null
check "bridge --year: files named by year, the final year's as before" test "$(cd "$NC/by" && ls | tr '\n' ' ')" = \
    "leics_2025_central_bridge.csv leics_2025_central_bridge.svg leics_2025_central_bridge_2026.csv leics_2025_central_bridge_2026.svg leics_2025_central_bridge_2027.csv leics_2025_central_bridge_2027.svg "
check "bridge --year 2026: its own gap" grep -q '^gap,Funding gap,.*,37\.94' "$NC/by/leics_2025_central_bridge_2026.csv"

# --- a year that never comes: an empty CSV cell (null in JSON), as every CSV ---
mtfs batch scenarios/leics_2025_fair_funding.cfg --format csv >"$NC/batch.csv"
check "batch CSV: no reserves year is an empty cell" \
    grep -q '^scenarios/leics_2025_fair_funding.cfg,.*,ok,2028,[0-9.]*,[0-9.]*,[0-9.]*,,,0,$' "$NC/batch.csv"

# --- compare: a final year that is not the first's is named ---
mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2020_covid.cfg scenarios/leics_2025_savings_70.cfg \
    >"$NC/compare.txt"
check "compare: final vs 1st names two different years" \
    grep -q '^leics_2020_covid .* -41\.0 (2023/24 vs 2028/29)$' "$NC/compare.txt"
check "compare: the same final year needs no label" grep -q '^leics_2025_savings_70 .* +11\.1$' "$NC/compare.txt"

# --- money in sentences and headings: one formatter, grouped, the sign before the £ ---
check "formula: the control total grouped" \
    grep -qx '25 authorities; control total £14,704.5m; data data/authorities.csv' "$NC/sq.txt"
mkdir -p "$NC/neg" && cp scenarios/leics_2025_central.cfg "$NC/neg/"
printf 'base = "leics_2025_central.cfg";\ncontingency = -200.0;\n' >"$NC/neg/surplus.cfg"
mtfs sensitivity "$NC/neg/surplus.cfg" >"$NC/neg.txt"
check "sensitivity: a surplus heading reads -£119.9m" \
    grep -qx 'Sensitivity of the 2028/29 gap (-£119.9m), one assumption at a time, £m' "$NC/neg.txt"

# --- make check names each section as it runs, the summary line last ---
if [ -z "${MTFS_TEST_NESTED:-}" ]; then
    MTFS_TEST_NESTED=1 MTFS_TEST_ONLY=011-authorities MTFS_TEST_TIMES= bash tests/run.sh >"$NC/sections.txt" 2>&1
    same "run.sh names its sections, summary last" "-- 011-authorities
1 passed, 0 failed" "$NC/sections.txt"
fi
