# tests/run.d/018-run-output.sh - run -o: every output file, written atomically.
# Sourced by tests/run.sh (uses check, mtfs, $TMP).

out="$TMP/out-dir"
SOURCE_DATE_EPOCH=1764000000 mtfs run scenarios/leics_2025_central.cfg -o "$out" >/dev/null 2>"$TMP/err"
check "run -o exit 0" test $? = 0
for f in leics_2025_central.csv leics_2025_central_services.csv leics_2025_central.meta.json leics_2025_central.png; do
    check "run -o writes $f" test -s "$out/$f"
done
check "no temporary files left" test -z "$(find "$out" -name '.*tmp*')"
check "-o CSV equals --format csv" cmp -s "$out/leics_2025_central.csv" tests/golden/leics_2025_central.csv
check "chart is a PNG" bash -c "head -c 8 '$out/leics_2025_central.png' | od -An -c | grep -q 'P   N   G'"
check "services CSV has a row per service and year" test "$(wc -l <"$out/leics_2025_central_services.csv")" = 25
sha=$(sha256sum scenarios/leics_2025_central.cfg | cut -d' ' -f1)
check "metadata records the scenario's SHA-256" grep -q "\"sha256\": \"$sha\"" "$out/leics_2025_central.meta.json"
check "metadata records the engine version" grep -q '"version": "' "$out/leics_2025_central.meta.json"
check "metadata records the time" grep -q '"created": "2025-11-24T16:00:00Z"' "$out/leics_2025_central.meta.json"
cp "$out/leics_2025_central.meta.json" "$TMP/meta1"
SOURCE_DATE_EPOCH=1764000000 mtfs run scenarios/leics_2025_central.cfg -o "$out" --plot none >/dev/null
check "metadata is reproducible under SOURCE_DATE_EPOCH" cmp -s "$out/leics_2025_central.meta.json" "$TMP/meta1"
mtfs run scenarios/leics_2025_savings_70.cfg -o "$out" --plot none >/dev/null
check "--plot none draws no chart" test ! -e "$out/leics_2025_savings_70.png"
check "inherited scenario lists both files in metadata" \
    test "$(grep -c '"sha256"' "$out/leics_2025_savings_70.meta.json")" = 2
for fmt in svg pdf; do
    mtfs run tests/good/hand.cfg -o "$out" --plot $fmt >/dev/null 2>"$TMP/err"
    check "--plot $fmt writes a chart" test -s "$out/hand.$fmt"
done
check "SVG chart is SVG" grep -q '<svg' "$out/hand.svg"
check "PDF chart is PDF" bash -c "head -c 5 '$out/hand.pdf' | grep -q '%PDF'"
mtfs run tests/good/hand.cfg --plot png >/dev/null 2>&1 &&
    check "--plot without -o writes to plots/" test -s plots/hand.png
rm -f plots/hand.png

# A run that fails while writing leaves the previous outputs as they were.
keep="$TMP/keep"
mkdir -p "$TMP/src"
cp tests/good/hand.cfg "$TMP/src/hand.cfg"
mtfs run "$TMP/src/hand.cfg" -o "$keep" >/dev/null
cp "$keep/hand.csv" "$TMP/hand-before.csv"
sed -i 's/^contingency = 1;/contingency = 2;/' "$TMP/src/hand.cfg"
rm "$keep/hand.png" && mkdir "$keep/hand.png"     # the chart cannot be renamed into place
mtfs run "$TMP/src/hand.cfg" -o "$keep" >/dev/null 2>"$TMP/err"
check "a failed write exits 3" test $? = 3
check "a failed write keeps the previous CSV" cmp -s "$keep/hand.csv" "$TMP/hand-before.csv"
check "a failed write leaves no temporary files" test -z "$(find "$keep" -name '.*tmp*')"
