# tests/run.d/255-sweep.sh - mtfs sweep, the national sweep (docs/fair-funding.md,
# "The national sweep"; docs/scale.md, "The sweep's shards"): a hand-computed
# case, the shipped sweep, bad input (exit 2 with its exact message), the same
# bytes for any --threads and for any split into --shard K/N merged by mtfs merge.
# Sourced by tests/run.sh (uses check, mtfs, expect_status, $TMP).
#
# The hand-computed case, tests/good/formula/sweep_two.cfg over
# tests/data/sweep_two.csv: Alpha (population 100,000, 65+ 10,000, baseline
# £60m) and Beta (100,000, 30,000, £40m); G = £100m; blocks "people" and "older
# people", weights 0.5 and 0.5, no equalisation, floor or transition.
#   block shares: people 0.5, 0.5; older people 10/40 = 0.25, 30/40 = 0.75
#   s_A = 0.5 x 0.5 + 0.5 x 0.25 = 0.375, so D_A = 37.5, change -22.5 (£-225 a head)
#   s_B = 0.625, D_B = 62.5, change +22.5
# With weights w and 1 - w: s_A = 0.25 + 0.25 w, change_A = -35 + 25 w.
# --steps 3 --spread 0.2 moves each block's weight to 0.4, 0.5, 0.6 (the other
# block 0.6, 0.5, 0.4): variants 1-3 (blocks[1]) give change_A -25, -22.5, -20;
# variants 4-6 (blocks[2]) give -20, -22.5, -25.
# The weight draws: w = (1 + 0.2 u1) / (2 + 0.2 u1 + 0.2 u2), u uniform on [-1, 1].
# To first order w = 0.5 + (a - b) / 4 with a - b triangular on [-0.4, 0.4]
# (a = 0.2 u1, b = 0.2 u2); its 10% point is -0.4 + sqrt(0.032) = -0.221115, so
# P10 of change_A = -35 + 25 (0.5 - 0.055279) = -23.882 and by symmetry P90 =
# -21.118, P50 = -22.5 (a simulation of 2 million draws gives -23.8885, -22.5003,
# -21.1109).  With 20,000 draws a percentile's sampling error is about 0.012 £m:
# tolerance 0.05 £m.  Beta's change is minus Alpha's in every draw, so its P10 is
# minus Alpha's P90 (to 1e-9).

SW=$TMP/sweep
mkdir -p "$SW"
sw_near() { # sw_near GOT WANT TOL: |GOT - WANT| <= TOL
    awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'
}
sw_cell() { # sw_cell FILE VARIANT CODE COLUMN: the cell of that row, by column name (no quoted commas)
    awk -F, -v v="$2" -v c="$3" -v col="$4" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
        $2 == v && $6 == c { print $(k[col]) }' "$1"
}
two=tests/good/formula/sweep_two.cfg
mtfs sweep "$two" --steps 3 --spread 0.2 --paths 20000 --seed 5 --format csv >"$SW/two.csv"
check "sweep: two authorities x 7 variants = 14 rows" test "$(($(wc -l <"$SW/two.csv") - 1))" = 14
check "sweep: Alpha's change = -22.5 by hand" sw_near "$(sw_cell "$SW/two.csv" 0 A1 change_m)" -22.5 1e-12
check "sweep: Alpha's change a head = -225 by hand" sw_near "$(sw_cell "$SW/two.csv" 0 A1 change_per_head)" -225 1e-9
check "sweep: Beta's change = +22.5 by hand" sw_near "$(sw_cell "$SW/two.csv" 0 B2 change_m)" 22.5 1e-12
check "sweep: Alpha's status quo = its baseline" sw_near "$(sw_cell "$SW/two.csv" 0 A1 now_m)" 60 0
for case in "1 -25 0.4" "2 -22.5 0.5" "3 -20 0.6" "4 -20 0.4" "5 -22.5 0.5" "6 -25 0.6"; do
    set -- $case
    check "sweep: variant $1 moves the weight to $3 by hand" sw_near "$(sw_cell "$SW/two.csv" "$1" A1 weight)" "$3" 1e-12
    check "sweep: variant $1 gives Alpha $2 by hand" sw_near "$(sw_cell "$SW/two.csv" "$1" A1 change_m)" "$2" 1e-9
done
check "sweep: P10 of Alpha's change near -23.882" sw_near "$(sw_cell "$SW/two.csv" 0 A1 p10_m)" -23.882 0.05
check "sweep: P50 of Alpha's change near -22.5" sw_near "$(sw_cell "$SW/two.csv" 0 A1 p50_m)" -22.5 0.05
check "sweep: P90 of Alpha's change near -21.118" sw_near "$(sw_cell "$SW/two.csv" 0 A1 p90_m)" -21.118 0.05
check "sweep: Beta's P10 is minus Alpha's P90" sw_near "$(sw_cell "$SW/two.csv" 0 B2 p10_m)" \
    "$(awk -v x="$(sw_cell "$SW/two.csv" 0 A1 p90_m)" 'BEGIN { printf "%.17g", -x }')" 1e-9
check "sweep: P10 a head = P10 x 1e6 / population" sw_near "$(sw_cell "$SW/two.csv" 0 A1 p10_per_head)" \
    "$(awk -v x="$(sw_cell "$SW/two.csv" 0 A1 p10_m)" 'BEGIN { printf "%.17g", x * 10 }')" 1e-9
# No spread: every draw is the formula's own weights, P10 = P50 = P90 = the change.
mtfs sweep "$two" --spread 0 --steps 0 --paths 3 --format csv >"$SW/flat.csv"
check "sweep: no spread, no grid: one variant" test "$(($(wc -l <"$SW/flat.csv") - 1))" = 2
check "sweep: no spread: P10 = P90 = the change" test \
    "$(sw_cell "$SW/flat.csv" 0 A1 p10_m),$(sw_cell "$SW/flat.csv" 0 A1 p90_m)" = "-22.5,-22.5"
mtfs sweep "$two" --steps 3 --spread 0.2 --paths 20000 --seed 6 --format csv >"$SW/two6.csv"
check "sweep: another seed draws other weights" test "$(sw_cell "$SW/two6.csv" 0 A1 p10_m)" != \
    "$(sw_cell "$SW/two.csv" 0 A1 p10_m)"
mtfs sweep "$two" --steps 3 --paths 20 >"$SW/two.txt"
check "sweep: the table's header records the seed and the version" grep -qF \
    "National sweep: 1 formula, 7 weight variants, 20 weight draws each (spread 20%), seed 1; mtfs $("$MTFS" --version | cut -d' ' -f2)" "$SW/two.txt"
check "sweep: the table shows Alpha's row" grep -qE \
    '^  Alpha +60\.0 +37\.5 +-22\.5 +-225 ' "$SW/two.txt"
mtfs sweep "$two" --steps 3 --paths 20 --seed 9 --format json >"$SW/two.json"
check "sweep: the JSON's metadata records seed, paths, steps and spread" grep -qF \
    '"seed": 9,' "$SW/two.json"
check "sweep: the JSON's metadata records the formula and its SHA-256" grep -qF \
    "\"sha256\": \"$(sha256sum "$two" | cut -d' ' -f1)\"" "$SW/two.json"

# The shipped sweep: every shipped formula (england_needs.cfg: all 147
# upper-tier authorities with 2020-21 spending power).
mtfs sweep --paths 100 --threads 1 --format csv >"$SW/all1.csv"
check "sweep: the shipped sweep covers the 147 authorities of england_needs" test \
    "$(awk -F, '$1 == "england_needs" && $2 == 0' "$SW/all1.csv" | wc -l)" = 147
check "sweep: Leicestershire under ffa_2026 = mtfs formula's -3.160828663" sw_near \
    "$(awk -F, '$1 == "ffa_2026" && $2 == 0 && $6 == "E10000018" { print $(NF - 7) }' "$SW/all1.csv")" -3.160828663 1e-6
check "sweep: each variant's changes sum to zero (a fixed pot; not level_of's formulas)" awk -F, \
    'NR > 1 && $1 !~ /^per_head_of_/ { s[$1 " " $2] += $(NF - 7) } END { for (k in s) if (s[k] > 1e-6 || s[k] < -1e-6) exit 1 }' "$SW/all1.csv"
for t in 2 3 7; do
    mtfs sweep --paths 100 --threads "$t" --format csv >"$SW/all$t.csv"
    check "sweep: --threads $t gives the bytes of --threads 1" cmp -s "$SW/all1.csv" "$SW/all$t.csv"
done
mtfs sweep --paths 100 --threads 2 -o "$SW/one" >/dev/null
check "sweep: -o writes sweep.csv and sweep.json" test -s "$SW/one/sweep.csv" -a -s "$SW/one/sweep.json"
check "sweep: sweep.csv is what --format csv prints" cmp -s "$SW/one/sweep.csv" "$SW/all1.csv"
for n in 1 2 3 7; do
    ok=1
    for k in $(seq 1 "$n"); do
        mtfs sweep --paths 100 --threads $((k % 2 + 1)) --shard "$k/$n" -o "$SW/parts$n" >/dev/null || ok=0
    done
    check "sweep: $n shards each write a partial" test "$ok" = 1 -a "$(ls "$SW/parts$n" | wc -l)" = "$n"
    mtfs merge "$SW/parts$n" -o "$SW/merged$n" >/dev/null
    check "sweep: $n shards merge into the CSV of one run" cmp -s "$SW/one/sweep.csv" "$SW/merged$n/sweep.csv"
    check "sweep: $n shards merge into the JSON of one run" cmp -s "$SW/one/sweep.json" "$SW/merged$n/sweep.json"
done
mtfs sweep --paths 100 >"$SW/one.txt"
mtfs merge "$SW/parts3/sweep.3-of-3.sweeppart" "$SW/parts3/sweep.1-of-3.sweeppart" \
    "$SW/parts3/sweep.2-of-3.sweeppart" >"$SW/merged.txt"
check "sweep: partials named in any order merge into the table of one run" cmp -s "$SW/one.txt" "$SW/merged.txt"

# Bad input: one line (and the usage hint), exit 2.
sw_says() { # sw_says NAME WANT-FIRST-LINE ARGS...: mtfs ARGS exits 2, stderr's first line WANT
    local name=$1 want=$2; shift 2
    expect_status 2 "$name" "$@"
    check "$name: the message" test "$(head -n 1 "$TMP/err")" = "$want"
}
sw_says "sweep: --steps 1" "mtfs: --steps '1' is not 0 or a whole number from 2 to 101" sweep --steps 1
sw_says "sweep: --spread 1" "mtfs: --spread '1' is not a share from 0 to below 1 (0.2: each weight within 20% of its own)" \
    sweep --spread 1
sw_says "sweep: --paths 0" "mtfs: --paths '0' is not a whole number from 1 to 1000000" sweep --paths 0
sw_says "sweep: --threads 65" "mtfs: --threads '65' is not a whole number from 1 to 64" sweep --threads 65
sw_says "sweep: --shard without -o" "mtfs: --shard needs -o DIR (where its partial result goes)" sweep --shard 1/2
sw_says "sweep: --shard 3/2" "mtfs: --shard '3/2' is not K/N, whole numbers with 1 <= K <= N <= 100000" \
    sweep --shard 3/2 -o "$SW/x"
sed 's/population_65_plus = 1.0/population_65_pluss = 1.0/' "$two" >"$TMP/sweep_bad.cfg"
sed -i 's|"../../data/sweep_two.csv"|"'"$ROOT"'/tests/data/sweep_two.csv"|' "$TMP/sweep_bad.cfg"
sw_says "sweep: a formula's bad key is located" \
    "$TMP/sweep_bad.cfg:8: key 'blocks[2].drivers.population_65_pluss': no column 'population_65_pluss' in the data (did you mean 'population_65_plus'?)" \
    sweep "$TMP/sweep_bad.cfg"
sw_says "sweep: a missing formula" "$TMP/nowhere.cfg: cannot open: No such file or directory" \
    sweep "$TMP/nowhere.cfg"
mkdir -p "$SW/gap"
cp "$SW/parts3/sweep.1-of-3.sweeppart" "$SW/parts3/sweep.3-of-3.sweeppart" "$SW/gap/"
sw_says "sweep: merge with a shard missing" "$SW/gap/sweep.1-of-3.sweeppart: shard 2 of 3 is missing (expected every shard 1 to 3 once)" \
    merge "$SW/gap"
mtfs sweep --paths 50 --shard 2/3 -o "$SW/other" >/dev/null
cp "$SW/parts3/sweep.1-of-3.sweeppart" "$SW/parts3/sweep.3-of-3.sweeppart" "$SW/other/"
sw_says "sweep: merge of shards of two sweeps" \
    "$SW/other/sweep.2-of-3.sweeppart: is a shard of another sweep than $SW/other/sweep.1-of-3.sweeppart (expected the same formulas, seed, paths, steps, spread and shard count)" \
    merge "$SW/other"
head -c 300 "$SW/parts3/sweep.1-of-3.sweeppart" >"$SW/cut.sweeppart"
sw_says "sweep: a partial cut short" "$SW/cut.sweeppart:11: it ends early (expected a partial result written by mtfs sweep --shard)" \
    merge "$SW/cut.sweeppart"

# Every allocation of a sweep -o and of its merge fails in turn: each a clean exit 3
# saying "out of memory" (one thread: the allocations come in one order).
for k in 1 2; do
    mtfs sweep "$two" --steps 3 --paths 10 --shard "$k/2" -o "$SW/twoparts" >/dev/null
done
for what in sweep merge; do
    clean=1 reached=0
    for n in $(seq 1 3000); do
        if [ $what = sweep ]; then
            MTFS_FAULT_ALLOC_AFTER=$n $WRAP "$MTFS" sweep "$two" --steps 3 --paths 10 --threads 1 \
                -o "$SW/fault" >/dev/null 2>"$SW/fault.err"
        else
            MTFS_FAULT_ALLOC_AFTER=$n $WRAP "$MTFS" merge "$SW/twoparts" --threads 1 -o "$SW/fault" \
                >/dev/null 2>"$SW/fault.err"
        fi
        status=$?
        if [ $status = 0 ]; then reached=1; break; fi
        if [ $status != 3 ] || ! grep -q 'out of memory' "$SW/fault.err"; then
            clean=0; echo "    $what, allocation $n: exit $status: $(head -1 "$SW/fault.err")"; break
        fi
    done
    check "sweep: every failed allocation of $what is a clean exit 3" test "$clean$reached" = 11
done
