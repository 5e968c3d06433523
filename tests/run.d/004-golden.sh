# tests/run.d/004-golden.sh - the CSV of every shipped scenario equals tests/golden/ (make
# golden regenerates them, on purpose only).
# Sourced by tests/run.sh (uses mtfs, $TMP).

for cfg in scenarios/*.cfg scenarios/editions/*.cfg; do
    id=$(basename "$cfg" .cfg)
    golden="tests/golden/$id.csv"
    if [ ! -f "$golden" ]; then fail "golden: no $golden (make golden, then review)"; continue; fi
    if mtfs run "$cfg" --format csv >"$TMP/$id.csv" 2>"$TMP/err" && cmp -s "$TMP/$id.csv" "$golden"; then
        pass
    else
        fail "golden $id differs from $golden"
        diff "$golden" "$TMP/$id.csv" | head -5 | sed 's/^/    /'
    fi
done
