# tests/run.d/20-output-sets.sh - output sets are all or nothing (docs/reliability.md, 2).
# Sourced by tests/run.sh: uses check, pass, fail, mtfs, $TMP, $MTFS and $WRAP.
#
# One run -o writes a set of 9 files (6 text files, 2 charts, 1 workbook).  Every test here
# makes a run fail or die part-way and checks the set in the folder is still, file for file
# and byte for byte, the previous set (or, where the run may have finished, entirely the new
# one), and that no temporary, backup or journal file is left.

os="$TMP/osets"
mkdir -p "$os/a" "$os/b"
# Two scenarios with one file name (hand.cfg, so one set of output names) and different
# results: a in a/, b in b/.
cp tests/good/hand.cfg "$os/a/hand.cfg"
sed 's/^contingency = 1;/contingency = 2;/' tests/good/hand.cfg >"$os/b/hand.cfg"
export SOURCE_DATE_EPOCH=1764000000   # the metadata records when it was made

# same_set DIR REF: DIR holds exactly REF's hand.* files with the same contents.  Workbooks
# are compared part by part (the zip records when it was written), every other file byte
# for byte.
cat >"$os/same_set.py" <<'EOF'
import os, sys, zipfile
d, ref = sys.argv[1], sys.argv[2]
names = sorted(f for f in os.listdir(ref) if f.startswith('hand'))
have = sorted(f for f in os.listdir(d) if f.startswith('hand'))
if names != have:
    sys.exit(f'files {have} != {names}')
for f in names:
    a, b = os.path.join(d, f), os.path.join(ref, f)
    if os.path.isdir(b):   # a directory in the way: still there
        same = os.path.isdir(a)
    elif f.endswith('.xlsx'):
        try:
            za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
            same = za.testzip() is None and sorted(za.namelist()) == sorted(zb.namelist()) and all(
                za.read(n) == zb.read(n) for n in zb.namelist() if n != 'docProps/core.xml')
        except Exception as e:
            same = False
    else:
        same = open(a, 'rb').read() == open(b, 'rb').read()
    if not same:
        sys.exit(f'{f} differs')
EOF
same_set() { python3 "$os/same_set.py" "$1" "$2"; }
# Hidden files left in DIR (temporaries, backups, journals, scratch directories).
hidden() { find "$1" -mindepth 1 -name '.*' | sed 's|.*/||' | sort | tr '\n' ' '; }

"$MTFS" run "$os/a/hand.cfg" -o "$os/ref-a" --xlsx >/dev/null 2>&1
"$MTFS" run "$os/b/hand.cfg" -o "$os/ref-b" --xlsx >/dev/null 2>&1
check "output sets: the two scenarios give different sets" \
    bash -c "! cmp -s '$os/ref-a/hand.csv' '$os/ref-b/hand.csv' && ! cmp -s '$os/ref-a/hand.png' '$os/ref-b/hand.png'"
check "output sets: a set is 9 files" test "$(ls "$os/ref-a" | wc -l)" = 9

# --- a directory in the way of one output: exit 3, nothing of the set changes -----------
# The first file committed (the CSV), a chart and the workbook (the last).
for victim in hand.csv hand.png hand_bridge.png hand.xlsx; do
    d="$os/way-$victim"
    "$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1
    rm "$d/$victim" && mkdir "$d/$victim"
    cp -r "$d" "$d.before"
    mtfs run "$os/b/hand.cfg" -o "$d" --xlsx >/dev/null 2>"$TMP/err"
    check "a directory in the way of $victim: exit 3" test $? = 3
    check "a directory in the way of $victim: one message naming it" \
        grep -qx "$d/$victim: cannot write output file: Is a directory" "$TMP/err"
    check "a directory in the way of $victim: no file of the set changed" same_set "$d" "$d.before"
    check "a directory in the way of $victim: nothing left behind" test -z "$(hidden "$d")"
done
# The same through compare, mc and brief: the chart fails, so the CSV/Markdown is kept.
d="$os/way-compare"
"$MTFS" compare "$os/a/hand.cfg" scenarios/leics_2025_central.cfg -o "$d" >/dev/null 2>&1
cp "$d/compare.csv" "$TMP/compare-before.csv"
rm "$d/compare.png" && mkdir "$d/compare.png"
mtfs compare "$os/b/hand.cfg" scenarios/leics_2025_central.cfg -o "$d" >/dev/null 2>&1
check "compare: a chart that cannot be written keeps the previous compare.csv" \
    test $? = 3 -a -z "$(hidden "$d")" && cmp -s "$d/compare.csv" "$TMP/compare-before.csv"

# --- a rename that fails part-way: the renames already done are undone -----------------
# MTFS_FAULT_RENAME=k makes the k-th rename of the commit fail (EIO).  The previous set has
# no charts and no workbook, so undoing must also remove the files that did not exist.
rolled=1
for k in 1 2 3 4 5 6 7 8 9; do
    d="$os/rename-$k"
    "$MTFS" run "$os/a/hand.cfg" -o "$d" --plot none >/dev/null 2>&1
    cp -r "$d" "$d.before"
    MTFS_FAULT_RENAME=$k $WRAP "$MTFS" run "$os/b/hand.cfg" -o "$d" --xlsx >/dev/null 2>"$TMP/err"
    status=$?
    if [ $status != 3 ] || ! grep -q 'cannot write output file: Input/output error' "$TMP/err" ||
       ! same_set "$d" "$d.before" || [ -n "$(hidden "$d")" ]; then
        rolled=0; echo "    rename $k failed: exit $status, $(head -1 "$TMP/err"), left: $(hidden "$d")"
    fi
done
check "a failed k-th rename (k = 1..9) restores the whole previous set, removes new files" \
    test $rolled = 1

# --- SIGKILL in the middle of the renames: the next run rolls the set back --------------
# MTFS_FAULT_RENAME_KILL=k kills the run just before its k-th rename (10: after the last
# rename, before the backups and the journal are removed).  The folder is then mixed, with
# the journal; the next commit into it (here a run of another scenario) first restores the
# previous set, or, when every file had been renamed, keeps the new one and cleans up.
recovered=1
for k in 1 2 5 9 10; do
    d="$os/kill-rename-$k"
    "$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1
    { MTFS_FAULT_RENAME_KILL=$k "$MTFS" run "$os/b/hand.cfg" -o "$d" --xlsx >/dev/null; status=$?; } 2>/dev/null
    journal=$(ls -A "$d" | grep -c '^\.mtfs-commit\.')
    "$MTFS" run scenarios/leics_2025_central.cfg -o "$d" --plot none >/dev/null 2>&1
    want=a
    [ $k = 10 ] && want=b
    if [ $status != 137 ] || [ "$journal" != 1 ] || ! same_set "$d" "$os/ref-$want" ||
       [ -n "$(hidden "$d")" ]; then
        recovered=0; echo "    killed before rename $k: exit $status, journal $journal, left: $(hidden "$d")"
    fi
done
check "SIGKILL between renames: the next run restores the whole previous set (or keeps the complete new one)" test $recovered = 1

# --- a full file system: the run fails part-way, the previous set stays ------------------
small="$os/small"
mkdir -p "$small"
if mount -t tmpfs -o size=1m tmpfs "$small" 2>/dev/null; then
    full_ok=1 failures=0 successes=0
    "$MTFS" run "$os/a/hand.cfg" -o "$small/out" --xlsx >/dev/null 2>&1
    # Leave less and less room: enough for none, some or all of the new set.
    for room in 0 4 8 16 32 64 96 128 160 400; do
        rm -f "$small/filler"
        "$MTFS" run "$os/a/hand.cfg" -o "$small/out" --xlsx >/dev/null 2>&1
        avail=$(df -k --output=avail "$small" | tail -1)
        fill=$((avail - room))
        [ $fill -gt 0 ] && head -c "${fill}k" /dev/zero >"$small/filler" 2>/dev/null
        $WRAP "$MTFS" run "$os/b/hand.cfg" -o "$small/out" --xlsx >/dev/null 2>"$TMP/err"
        status=$?
        if [ $status = 3 ] && same_set "$small/out" "$os/ref-a" 2>/dev/null; then
            failures=$((failures + 1))
        elif [ $status = 0 ] && same_set "$small/out" "$os/ref-b"; then
            successes=$((successes + 1))
        else
            full_ok=0; echo "    ${room}k free: exit $status: $(head -1 "$TMP/err")"
        fi
        [ -z "$(hidden "$small/out")" ] || { full_ok=0; echo "    ${room}k free: left $(hidden "$small/out")"; }
    done
    umount "$small"
    check "a full file system: each run fails with the previous set intact or writes the whole new set ($failures failed, $successes written)" \
        test "$full_ok" = 1 -a "$failures" -ge 5 -a "$successes" -ge 1
else
    echo "skip: a full file system (cannot mount a tmpfs here)"
fi

# --- two runs at once into one folder: the last whole set wins ----------------------------
d="$os/race"
mixed=0 wins_a=0 wins_b=0
for round in $(seq 1 20); do
    "$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1 &
    pa=$!
    "$MTFS" run "$os/b/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1 &
    pb=$!
    wait $pa; sa=$?
    wait $pb; sb=$?
    if [ $sa != 0 ] || [ $sb != 0 ]; then
        mixed=$((mixed + 1)); echo "    round $round: exit $sa and $sb"
    elif same_set "$d" "$os/ref-a" 2>/dev/null; then wins_a=$((wins_a + 1))
    elif same_set "$d" "$os/ref-b" 2>/dev/null; then wins_b=$((wins_b + 1))
    else mixed=$((mixed + 1)); echo "    round $round: a mixed set"
    fi
    [ -z "$(hidden "$d")" ] || { mixed=$((mixed + 1)); echo "    round $round: left $(hidden "$d")"; }
done
check "two concurrent runs into one folder, 20 rounds: always one whole set (a $wins_a, b $wins_b)" \
    test $mixed = 0
winner=b
same_set "$d" "$os/ref-a" 2>/dev/null && winner=a
check "the metadata of the final set records its own scenario ($winner)" \
    grep -q "\"sha256\": \"$(sha256sum "$os/$winner/hand.cfg" | cut -d' ' -f1)\"" "$d/hand.meta.json"

# --- SIGKILL during run -o --xlsx at many moments ----------------------------------------
# Runs alternate between the two scenarios, so "as before" and "new" differ.  After each
# kill the set is entirely the previous one or entirely the new one.  No named temporary
# file is left: the workbook is written into a file without a name, libxlsxwriter's own
# scratch files are unlinked as soon as they are made (in a private directory the next run
# removes).  Only a kill inside the commit itself (a few milliseconds, most of it syncs)
# leaves named files; they come with the journal, and the next run finishes the commit
# (checked above).
d="$os/kill"
"$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1
prev=a intact=1 named=0 scratch=0 parts=0 in_commit=0 completed=0
span=
for i in 1 2 3; do   # microseconds for one run, the fastest of 3
    start=$(date +%s%N)
    "$MTFS" run "$os/b/hand.cfg" -o "$TMP/osets-timing" --xlsx >/dev/null 2>&1
    t=$(( ($(date +%s%N) - start) / 1000 ))
    [ -z "$span" ] || [ $t -lt $span ] && span=$t
done
rm -rf "$TMP/osets-timing"
# 20 kills spread over the whole run, 40 over its last quarter (the charts, the workbook
# and the commit).
for i in $(seq 1 60); do
    next=$([ $prev = a ] && echo b || echo a)
    delay=$(awk -v i=$i -v span=$span 'BEGIN {
        f = i <= 20 ? i / 20 : 0.75 + (i - 20) * 0.35 / 40; printf "%.6f", f * span / 1e6 }')
    "$MTFS" run "$os/$next/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ls -A "$d" | grep -q '^\.mtfs-commit\.'; then
        # Killed inside the commit: the next commit rolls it back.
        in_commit=$((in_commit + 1))
        "$MTFS" run scenarios/leics_2025_central.cfg -o "$d" --plot none >/dev/null 2>&1
    fi
    # Named temporaries of the outputs (the workbook included) or a workbook anywhere.
    left=$(find "$d" -maxdepth 1 -name '.*' -type f; find "$d" -path '*/.*' -type f -name '*.xlsx';
           find "$d" -mindepth 2 -path '*/.*' -type f -exec grep -l '^PK' {} +)
    if [ -n "$left" ]; then
        named=$((named + 1)); echo "    kill $i (${delay}s): named temporary files: $left"
    fi
    if [ -n "$(find "$d" -mindepth 1 -name '.*' -type d)" ]; then
        scratch=$((scratch + 1))   # a dead run's scratch directory: the next run removes it
        [ -z "$(find "$d" -mindepth 2 -type f)" ] || parts=$((parts + 1))
    fi
    if same_set "$d" "$os/ref-$prev" 2>/dev/null; then :
    elif same_set "$d" "$os/ref-$next" 2>/dev/null; then prev=$next; completed=$((completed + 1))
    else intact=0; echo "    kill $i (${delay}s): $(same_set "$d" "$os/ref-$prev" 2>&1)"
    fi
done
check "SIGKILL at 60 moments of run -o --xlsx: every set whole, old or new ($completed completed, $in_commit inside the commit)" \
    test $intact = 1
check "SIGKILL at 60 moments of run -o --xlsx: no named temporary file or partial workbook remains" \
    test $named = 0
# A kill inside the workbook write leaves the dead run's scratch directory: empty, or (if
# the kill fell in the instant between libxlsxwriter creating one of its part files and
# unlinking it) holding that part.  The next run removes it.
"$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1
check "SIGKILL: the next run removes a dead run's scratch directory ($scratch kills left one, $parts with a libxlsxwriter part)" \
    test -z "$(hidden "$d")"
# A dead process's scratch directory, backup and journal are removed (or rolled back) by
# the next run; a live process's are left alone.
mkdir "$d/.hand.xlsx.tmp.2147483646.abcdef" "$d/.hand.xlsx.tmp.$$.abcdef"
touch "$d/.hand.xlsx.tmp.2147483646.abcdef/tmp.x" "$d/.hand.csv.bak.2147483646.000001" \
      "$d/.hand.csv.bak.$$.000001"
"$MTFS" run "$os/a/hand.cfg" -o "$d" --xlsx >/dev/null 2>&1
check "a dead run's scratch directory and backup are removed by the next run" \
    test ! -e "$d/.hand.xlsx.tmp.2147483646.abcdef" -a ! -e "$d/.hand.csv.bak.2147483646.000001"
check "a live process's scratch directory and backup are left alone" \
    test -e "$d/.hand.xlsx.tmp.$$.abcdef" -a -e "$d/.hand.csv.bak.$$.000001"
rm -rf "$d/.hand.xlsx.tmp.$$.abcdef" "$d/.hand.csv.bak.$$.000001"
unset SOURCE_DATE_EPOCH
