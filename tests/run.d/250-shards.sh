# tests/run.d/250-shards.sh - mtfs mc --shard K/N and mtfs merge (docs/scale.md,
# "Shards and merge"): 1, 2, 3 and 7 shards merge into the CSV and JSON of one
# run, byte for byte (merged in memory and in passes, from a directory or from
# files in any order, shards computed on any thread count); partials that do not
# belong together are refused with one located line and exit 2.
# Sourced by tests/run.sh.

SH=$TMP/shards
mkdir -p "$SH"
cp tests/good/mc/base.cfg "$SH/"
# Thresholds and uncertain opening reserves: every part of a partial is used.
cat >"$SH/open.cfg" <<'EOF'
base = "base.cfg";
name = "shards";
uncertainty = {
  seed = 11;
  paths = 3000;
  thresholds = [ 0.0, 5.0 ];
  parameters = ( { key = "contingency"; dist = "normal"; sd = 10.0; },
                 { key = "reserves.opening"; dist = "normal"; sd = 20.0; } );
};
EOF
shards_in() { (cd "$SH" && mtfs "$@"); }
same_outputs() { # same_outputs NAME DIR-A DIR-B ID: the CSV and JSON of A and B are the same bytes
    check "$1: the CSV is the single run's" cmp -s "$SH/$2/$4_mc.csv" "$SH/$3/$4_mc.csv"
    check "$1: the JSON is the single run's" cmp -s "$SH/$2/$4_mc.json" "$SH/$3/$4_mc.json"
}

shards_in mc open.cfg -o one --plot none -q >/dev/null
check "shards: the single run writes its CSV" test -s "$SH/one/open_mc.csv"
for n in 1 2 3 7; do
    ok=1
    for k in $(seq 1 "$n"); do
        shards_in mc open.cfg --shard "$k/$n" --threads $((k % 2 + 1)) -o "parts$n" >/dev/null 2>"$TMP/err" || ok=0
    done
    check "shards: $n shards each write a partial" test "$ok" = 1 -a "$(ls "$SH/parts$n" | wc -l)" = "$n"
    shards_in merge "parts$n" -o "merged$n" --plot none >/dev/null 2>"$TMP/err"
    check "shards: $n shards merge (exit 0)" test $? = 0
    same_outputs "shards: $n shards" one "merged$n" open
done
# The files named one by one, in any order, merged in passes (bounded memory).
shards_in merge parts3/open_mc.3-of-3.mcpart parts3/open_mc.1-of-3.mcpart \
    parts3/open_mc.2-of-3.mcpart --bounded-memory -o passes --plot none >/dev/null
same_outputs "shards: files in any order, merged in passes" one passes open
shards_in mc open.cfg --format json >"$TMP/one.json"
shards_in merge parts7 --format json >"$TMP/merged.json"
check "shards: the JSON printed is the single run's" cmp -s "$TMP/one.json" "$TMP/merged.json"
# More shards than blocks: 5 blocks in 7 shards leave two shards empty.
shards_in mc "$ROOT/tests/good/mc/correlated.cfg" --paths 5000 --seed 3 -o corr-one --plot none >/dev/null
for k in 1 2 3 4 5 6 7; do
    shards_in mc "$ROOT/tests/good/mc/correlated.cfg" --paths 5000 --seed 3 --shard "$k/7" -o corr-parts
done
check "shards: a shard with no block writes a header alone" \
    test "$(tail -n 1 "$SH/corr-parts/correlated_mc.1-of-7.mcpart")" = "data 0"
shards_in merge corr-parts -o corr-merged --plot none >/dev/null
same_outputs "shards: correlated inputs, empty shards" corr-one corr-merged correlated

# Partials that do not belong together: one located line each, exit 2.
shards_says() { # shards_says NAME WANT-LINE ARGS...: mtfs ARGS (in $SH) exits 2 saying WANT-LINE
    local name=$1 want=$2; shift 2
    shards_in "$@" >"$TMP/out" 2>"$TMP/err"
    check "$name: exit 2" test $? = 2
    check "$name: the message" test "$(cat "$TMP/err")" = "$want"
}
shards_says "shards: a shard missing" \
    "parts3/open_mc.1-of-3.mcpart:7: key 'shard': shard 2 of 3 is missing (expected one partial result for each of shards 1 to 3)" \
    merge parts3/open_mc.1-of-3.mcpart parts3/open_mc.3-of-3.mcpart
shards_says "shards: a shard twice" \
    "parts3/open_mc.2-of-3.mcpart:7: key 'shard': shard 2 of 3 is also parts3/open_mc.2-of-3.mcpart (expected each shard once)" \
    merge parts3 parts3/open_mc.2-of-3.mcpart
shards_in mc open.cfg --shard 2/3 --seed 12 -o seed12 >/dev/null
shards_says "shards: another seed" \
    "seed12/open_mc.2-of-3.mcpart:5: key 'seed': seed 12, where parts3/open_mc.1-of-3.mcpart has seed 11 (expected the shards of one run)" \
    merge parts3/open_mc.1-of-3.mcpart seed12/open_mc.2-of-3.mcpart parts3/open_mc.3-of-3.mcpart
shards_says "shards: another shard count" \
    "parts2/open_mc.2-of-2.mcpart:7: key 'shard': shard 2 of 2, where parts3/open_mc.1-of-3.mcpart has 3 shards (expected the shards of one run)" \
    merge parts3/open_mc.1-of-3.mcpart parts2/open_mc.2-of-2.mcpart
shards_says "shards: not a partial" \
    "open.cfg:1: is not an mtfs Monte Carlo partial result (expected a file written by mtfs mc --shard)" \
    merge open.cfg
head -c 400 "$SH/parts2/open_mc.1-of-2.mcpart" >"$SH/cut.mcpart"
shards_says "shards: a partial cut short" \
    "cut.mcpart:14: key 'data': the file holds 64 bytes of values, not the 59392 announced (expected the whole file mtfs mc --shard wrote)" \
    merge cut.mcpart
mkdir -p "$SH/empty"
shards_says "shards: a directory without partials" \
    "empty: holds no partial result (expected the *.mcpart, *.batchpart or *.sweeppart files of mtfs mc, batch or sweep --shard)" \
    merge empty
cp "$SH/open.cfg" "$SH/open.cfg.kept"
echo "# edited after the shards ran" >>"$SH/open.cfg"
shards_says "shards: the scenario changed since" \
    "parts2/open_mc.1-of-2.mcpart:3: key 'file': open.cfg has changed since the shards ran (expected SHA-256 e4a4a62d0c5c..., found 864c0dc5ab24...)" \
    merge parts2
mv "$SH/open.cfg.kept" "$SH/open.cfg"
shards_says "shards: --shard needs -o" \
    "mtfs: --shard needs -o DIR (where its partial result goes)
Try 'mtfs mc --help'." mc open.cfg --shard 1/2
shards_says "shards: --shard K above N" \
    "mtfs: --shard '4/3' is not K/N, whole numbers with 1 <= K <= N <= 100000
Try 'mtfs mc --help'." mc open.cfg --shard 4/3 -o x

# --- batch --shard K/N and merge: the single batch's summary, output and exit status ---
BS=$SH/batch
mkdir -p "$BS/set"
cp scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg scenarios/leics_2020_covid.cfg \
    scenarios/leics_2025_high_inflation.cfg "$BS/set/"
# Bad input with several problems (the merge prints them all on stderr, as a batch does).
cat >"$BS/set/several.cfg" <<'EOF2'
base = "leics_2025_central.cfg";
services = ( { name = "adults"; demand = 4.0; }, { name = "new"; savngs = 1.0; } );
EOF2
batch_run() { (cd "$BS" && mtfs batch set --fail-if 'gap[2028] > 100' --fail-if 'final_gap > 20' "$@"); }
batch_run -o one >"$BS/one.out" 2>"$BS/one.err"
echo $? >"$BS/one.status"
check "batch shards: the single batch has bad input (exit 2)" test "$(cat "$BS/one.status")" = 2
for n in 1 2 3 7; do
    ok=1
    for k in $(seq 1 "$n"); do batch_run --shard "$k/$n" -o "parts$n" >/dev/null 2>&1 || ok=0; done
    check "batch shards: $n shards each write a partial (exit 0)" test "$ok" = 1
    (cd "$BS" && mtfs merge "parts$n" -o "merged$n" >"$BS/merged.out" 2>"$BS/merged.err")
    check "batch shards: $n shards: the merge's exit status is the batch's" test $? = "$(cat "$BS/one.status")"
    check "batch shards: $n shards: the summary CSV" cmp -s "$BS/one/batch_summary.csv" "$BS/merged$n/batch_summary.csv"
    check "batch shards: $n shards: the summary JSON" cmp -s "$BS/one/batch_summary.json" "$BS/merged$n/batch_summary.json"
    check "batch shards: $n shards: the table printed" cmp -s "$BS/one.out" "$BS/merged.out"
    check "batch shards: $n shards: the errors on stderr" cmp -s "$BS/one.err" "$BS/merged.err"
done
shards_in() { (cd "$BS" && mtfs "$@"); }   # shards_says runs in $BS from here
shards_says "batch shards: a shard missing" \
    "parts3/batch.1-of-3.batchpart:3: key 'shard': shard 2 of 3 is missing (expected one partial result for each of shards 1 to 3)" \
    merge parts3/batch.1-of-3.batchpart parts3/batch.3-of-3.batchpart
(cd "$BS" && mtfs batch set --shard 2/3 -o nocond >/dev/null)
shards_says "batch shards: other conditions" \
    "nocond/batch.2-of-3.batchpart:3: has conditions other than parts3/batch.1-of-3.batchpart's (expected the shards of one batch)" \
    merge parts3/batch.1-of-3.batchpart nocond/batch.2-of-3.batchpart parts3/batch.3-of-3.batchpart
shards_says "batch shards: mc and batch partials together" \
    "parts1/batch.1-of-1.batchpart: partials of mtfs mc and of mtfs batch cannot merge together (expected the shards of one run)" \
    merge parts1 ../parts1
echo "# edited" >>"$BS/set/leics_2025_central.cfg"
shards_says "batch shards: a scenario changed since its shard ran" \
    "parts2/batch.1-of-2.batchpart:14: key 'sha256': set/leics_2025_central.cfg has changed since the shard ran it (expected SHA-256 $(sha256sum scenarios/leics_2025_central.cfg | cut -c1-12)..., found $(sha256sum "$BS/set/leics_2025_central.cfg" | cut -c1-12)...)" \
    merge parts2
