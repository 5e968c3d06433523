# tests/run.d/160-capital.sh - the capital block (docs/model.md section 3a,
# docs/scenario-format.md "capital"): its columns only with the block,
# inheritance and remove, the bridge item.  Sourced by tests/run.sh; the
# arithmetic is tests/unit/test_capital.c's.

mtfs run -f csv tests/good/hand_capital.cfg >"$TMP/cap.csv" 2>"$TMP/err"
check "capital: CSV ends with the capital columns" \
    grep -q ',covid_funding,capital_programme,borrowing,cfr,mrp,interest,capital_financing$' "$TMP/cap.csv"
# 2028/29: MRP 19.5, interest 4.46, capital financing 23.96, CFR 162.
check "capital: 2028/29 by hand" grep -q '^2028,2028/29,.*,0,0,162,19.5,4.46,23.96$' "$TMP/cap.csv"
mtfs run -f csv tests/good/hand.cfg >"$TMP/plain.csv" 2>"$TMP/err"
check "capital: no capital columns without the block" test -z "$(grep -c 'capital\|,cfr' "$TMP/plain.csv" | grep -v '^0$')"
mtfs run tests/good/hand.cfg >"$TMP/plain.txt" 2>"$TMP/err"
check "capital: no capital rows in the table without the block" test -z "$(grep -i 'capital' "$TMP/plain.txt")"
mtfs bridge -f csv tests/good/hand.cfg >"$TMP/plain-bridge.csv" 2>"$TMP/err"
check "capital: no bridge item without the block" test -z "$(grep capital "$TMP/plain-bridge.csv")"
mtfs bridge -f csv tests/good/hand_capital.cfg >"$TMP/cap-bridge.csv" 2>"$TMP/err"
check "capital: the bridge's capital item" grep -q '^capital_financing,Capital financing,spending,23.96' "$TMP/cap-bridge.csv"

# remove takes the block away: the file is the plain four-year case again.
printf 'base = "%s/tests/good/hand_capital.cfg";\nremove = ["capital"];\n' "$PWD" >"$TMP/cap-removed.cfg"
mtfs run -f csv "$TMP/cap-removed.cfg" >"$TMP/cap-removed.csv" 2>"$TMP/err"
check "capital: remove takes the columns away" test -z "$(grep capital "$TMP/cap-removed.csv")"
# Capital financing is all the block adds to expenditure: E without = E with - CF.
check "capital: expenditure falls by capital financing when removed" \
    awk -F, 'NR == FNR { if (FNR == 5) e = $3 - $36; next } FNR == 5 { d = e - $3; exit !(d < 1e-9 && d > -1e-9) }' \
    "$TMP/cap.csv" "$TMP/cap-removed.csv"

# A derived file changes one key: interest at 1 point more on 2026/27's
# loans: 2028/29 interest 4 + 0.05 * (7.5 + 4) = 4.575.
printf 'base = "%s/tests/good/hand_capital.cfg";\ncapital = { rate = [0.05, 0.05, 0.03, 0.03]; };\n' "$PWD" >"$TMP/cap-rate.cfg"
mtfs run -f csv "$TMP/cap-rate.cfg" >"$TMP/cap-rate.csv" 2>"$TMP/err"
check "capital: an inherited block with one key changed" grep -q '^2028,2028/29,.*,162,19.5,4.575,24.075$' "$TMP/cap-rate.csv"
# method "equal" below an inherited annuity: the inherited annuity_rate is unused.
printf 'base = "%s/tests/good/hand_capital_annuity.cfg";\ncapital = { method = "equal"; };\n' "$PWD" >"$TMP/cap-equal.cfg"
mtfs run -f csv "$TMP/cap-equal.cfg" >"$TMP/cap-equal.csv" 2>"$TMP/err"
check "capital: equal over an inherited annuity" cmp -s <(cut -d, -f3- "$TMP/cap.csv") <(cut -d, -f3- "$TMP/cap-equal.csv")
