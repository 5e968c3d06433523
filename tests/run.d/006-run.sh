# tests/run.d/006-run.sh - mtfs run: the table (and README's worked example) and the CSV.
# Sourced by tests/run.sh (uses check, mtfs, $TMP).

mtfs run scenarios/leics_2025_central.cfg >"$TMP/table" 2>"$TMP/err"
check "table exit 0" test $? = 0
check "table has financial-year columns" grep -q '2025/26   2026/27   2027/28   2028/29' "$TMP/table"
check "table has the gap row" grep -q '^Funding gap  ' "$TMP/table"
check "table states the below-minimum and exhausted years in words" \
    grep -qx 'Reserves fall below the £20.0m minimum in 2027/28, closing that year at -£7.0m; they run out in 2027/28.' "$TMP/table"
check "table shows no NaN or Inf" bash -c "! grep -qiE 'nan|inf' '$TMP/table'"
sed -n '/^\$ .\/mtfs run scenarios\/leics_2025_central.cfg$/,/^```$/p' README.md | sed '1d;$d' >"$TMP/readme"
check "README's worked example is the engine's real output" cmp -s "$TMP/table" "$TMP/readme"
mtfs run tests/good/hand_surplus.cfg >"$TMP/table2"
check "table says when reserves hold" \
    grep -qx 'Reserves fall below the £12.0m minimum in 2025/26, closing that year at £10.0m.' "$TMP/table2"
mtfs run tests/good/flat.cfg >"$TMP/table3"
check "30-year table is split into blocks of 8 years" test "$(grep -c '^Funding gap  ' "$TMP/table3")" = 4
check "zero minimum: reserves run out" \
    grep -qx 'Reserves run out in 2031/32, closing that year at -£143.0m.' "$TMP/table3"
mtfs run scenarios/leics_2025_referendum.cfg >"$TMP/table4"
check "table reports a referendum" grep -q 'above the referendum limit' "$TMP/table4"

mtfs run tests/good/hand.cfg --format csv >"$TMP/a.csv"
mtfs run tests/good/hand.cfg --format csv >"$TMP/b.csv"
check "two runs give byte-identical CSV" cmp -s "$TMP/a.csv" "$TMP/b.csv"
check "CSV columns of model.md section 8 come first, in order" \
    test "$(head -1 "$TMP/a.csv" | cut -d, -f1-13)" = \
    "year,label,expenditure,funding,gap,incremental_gap,cumulative_gap,reserves,council_tax,business_rates,grants,savings_planned,savings_delivered"
check "CSV has one row per year" test "$(wc -l <"$TMP/a.csv")" = 3
check "CSV numbers use %.17g" grep -q '^2025,2025/26,159.89000000000001,125.92939999999999,' "$TMP/a.csv"
