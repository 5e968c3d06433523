# tests/run.d/10-inputs.sh - every input path is checked before it is read:
# special files never hang a run, @include cannot reach libconfig's file
# handling, and --restrict keeps unreviewed files inside one folder.
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, $TMP).

# expect_line NAME STATUS LINE COMMAND...: the command exits STATUS within
# 20 s (a hang is a failure, not a wait for CI's own time-out) and its
# standard error is exactly LINE.
expect_line() {
    local name=$1 want=$2 line=$3; shift 3
    timeout 20 "$@" >"$TMP/in-out" 2>"$TMP/in-err" </dev/null
    local status=$?
    if [ "$status" = 124 ]; then fail "$name: hung (killed after 20 s)"; return; fi
    if [ "$status" != "$want" ]; then fail "$name: exit $status, want $want ($(head -c 300 "$TMP/in-err"))"; return; fi
    if [ "$(cat "$TMP/in-err")" != "$line" ]; then
        fail "$name: stderr differs"
        printf '    want: %s\n    got:  %s\n' "$line" "$(head -c 400 "$TMP/in-err")"
        return
    fi
    pass
}

in=$TMP/inputs
mkdir -p "$in/sub" "$in/data" "$in/formula" "$in/batch"
cp tests/bad/lib/common.cfg "$in/common.cfg"
mkfifo "$in/pipe.cfg" "$in/data/pipe.csv" "$in/formula/pipe.cfg" "$in/batch/pipe.cfg"

# --- special files: never block, one located line, exit 2 ---------------------
expect_line "a named pipe as the scenario" 2 \
    "$in/pipe.cfg: is a named pipe (expected a scenario file)" "$MTFS" validate "$in/pipe.cfg"
printf 'base = "pipe.cfg";\nname = "x";\n' > "$in/base_pipe.cfg"
expect_line "a named pipe as base" 2 \
    "$in/base_pipe.cfg:1: key 'base': '$in/pipe.cfg' is a named pipe (expected a scenario file)" \
    "$MTFS" validate "$in/base_pipe.cfg"
printf '@include "pipe.cfg"\nname = "x";\n' > "$in/include_pipe.cfg"
expect_line "a named pipe as an @include" 2 \
    "$in/include_pipe.cfg:1: @include \"pipe.cfg\" is a named pipe (expected a file to include)" \
    "$MTFS" validate "$in/include_pipe.cfg"
expect_line "/dev/zero as the scenario" 2 \
    "/dev/zero: is a character device (expected a scenario file)" "$MTFS" run /dev/zero
expect_line "a directory as the scenario" 2 \
    "$in/sub: is a directory (expected a scenario file)" "$MTFS" run "$in/sub"
printf 'name = "pipe data";\ndata = "../data/pipe.csv";\nbaseline = "baseline";\nblocks = ( { name = "all"; weight = 1.0; drivers = { population = 1.0; }; } );\n' \
    > "$in/formula/pipe_data.cfg"
timeout 20 "$MTFS" formula "$in/formula/pipe_data.cfg" --authority A >/dev/null 2>"$TMP/in-err" </dev/null
status=$?
check "a named pipe as a formula's data exits 2, not a hang (got $status)" test "$status" = 2
check "a named pipe as a formula's data is named" grep -q 'is a named pipe' "$TMP/in-err"
expect_line "a named pipe as a formula file" 2 \
    "$in/formula/pipe.cfg: is a named pipe (expected a scenario file)" \
    "$MTFS" formula "$in/formula/pipe.cfg" --authority A
cp tests/good/hand.cfg "$in/batch/hand.cfg"
timeout 20 "$MTFS" batch "$in/batch" >"$TMP/in-out" 2>"$TMP/in-err" </dev/null
status=$?
check "a named pipe in a batch folder exits 2, not a hang (got $status)" test "$status" = 2
check "a named pipe in a batch folder: the other scenarios still ran" \
    grep -q '1 ok, 0 failed, 1 error' "$TMP/in-out"

# --- @include: every way round the old guard ---------------------------------------
printf '@include "%s"\nname = "x";\n' "$in/sub" > "$in/include_absolute_dir.cfg"
expect_line "@include of an absolute directory" 2 \
    "$in/include_absolute_dir.cfg:1: @include \"$in/sub\" is a directory (expected a file to include)" \
    "$MTFS" validate "$in/include_absolute_dir.cfg"
ln -s "$in/sub" "$in/link"
printf '@include "link/.."\nname = "x";\n' > "$in/include_dotdot_symlink.cfg"
expect_line "@include of .. through a symlink" 2 \
    "$in/include_dotdot_symlink.cfg:1: @include \"link/..\" is a directory (expected a file to include)" \
    "$MTFS" validate "$in/include_dotdot_symlink.cfg"
printf '@include "/dev/zero"\nname = "x";\n' > "$in/include_device.cfg"
expect_line "@include of a device" 2 \
    "$in/include_device.cfg:1: @include \"/dev/zero\" is a character device (expected a file to include)" \
    "$MTFS" validate "$in/include_device.cfg"
{ printf 'name = "'; head -c 100000 /dev/zero | tr '\0' 'a'; printf '";\n@include "sub"\n'; } > "$in/include_after_long_string.cfg"
expect_line "@include after a 100 kB line" 2 \
    "$in/include_after_long_string.cfg:2: @include \"sub\" is a directory (expected a file to include)" \
    "$MTFS" validate "$in/include_after_long_string.cfg"
# One such file in a batch is one bad scenario; the batch goes on.
cp "$in/include_absolute_dir.cfg" "$in/batch/include_dir.cfg"
rm -f "$in/batch/pipe.cfg"
timeout 20 "$MTFS" batch "$in/batch" >"$TMP/in-out" 2>/dev/null </dev/null
check "an @include of a directory in a batch is one bad scenario" \
    grep -q '1 ok, 0 failed, 1 error' "$TMP/in-out"
# Where libconfig would not act on a directive, neither does mtfs.
printf 'name = "x"; /* a comment\n@include "sub"\n*/\n' > "$in/include_in_comment.cfg"
cat tests/good/hand.cfg | grep -v '^name' >> "$in/include_in_comment.cfg"
check "an @include inside a comment is not a directive" "$MTFS" validate -q "$in/include_in_comment.cfg"
# An include is relative to the scenario's folder, and works from a base.
printf 'contingency = 3.0;\n' > "$in/sub/extra.inc"
grep -v '^contingency' tests/good/hand.cfg > "$in/sub/with_include.cfg"
printf '@include "extra.inc"\n' >> "$in/sub/with_include.cfg"
sed 's/^contingency = 1;/contingency = 3.0;/' tests/good/hand.cfg > "$in/inline.cfg"
mtfs run "$in/sub/with_include.cfg" --format csv > "$TMP/in-out" 2>/dev/null
mtfs run "$in/inline.cfg" --format csv > "$TMP/in-inline" 2>/dev/null
check "an included file's values are used (same CSV as written inline)" cmp -s "$TMP/in-out" "$TMP/in-inline"
check "the included value changed the result" bash -c "! mtfs_out=\$('$MTFS' run tests/good/hand.cfg --format csv) || [ \"\$mtfs_out\" != \"\$(cat '$TMP/in-inline')\" ]"
printf 'base = "sub/with_include.cfg";\nname = "derived";\n' > "$in/derived_include.cfg"
check "a base's @include is relative to the base's folder" "$MTFS" validate -q "$in/derived_include.cfg"

# --- errors inside an included file point into it --------------------------------
printf 'contingency = "three";\n' > "$in/sub/bad.inc"
grep -v '^contingency' tests/good/hand.cfg > "$in/sub/bad_include.cfg"
printf '\n\n@include "bad.inc"\n' >> "$in/sub/bad_include.cfg"
expect_line "an error in an included file names that file and line" 2 \
    "$in/sub/bad.inc:1: key 'contingency': found a string (expected an amount in £m, or a list of 2 values)" \
    "$MTFS" validate "$in/sub/bad_include.cfg"

# --- --restrict: unreviewed files stay inside one folder --------------------------
mkdir -p "$in/repo/scenarios" "$in/outside"
cp tests/good/hand.cfg "$in/outside/hand.cfg"
printf 'base = "../../outside/hand.cfg";\nname = "escapes";\n' > "$in/repo/scenarios/escape_base.cfg"
printf '@include "/etc/hostname"\n' > "$in/repo/scenarios/escape_include.cfg"
ln -s "$in/outside/hand.cfg" "$in/repo/scenarios/escape_link.cfg"
cp tests/good/hand.cfg "$in/repo/scenarios/inside.cfg"
expect_line "--restrict refuses a base outside" 2 \
    "$in/repo/scenarios/escape_base.cfg:1: key 'base': '$in/outside/hand.cfg' is outside $(realpath "$in/repo"), the folder inputs are restricted to (--restrict)" \
    "$MTFS" --restrict "$in/repo" validate "$in/repo/scenarios/escape_base.cfg"
expect_line "--restrict refuses an absolute @include" 2 \
    "$in/repo/scenarios/escape_include.cfg:1: @include \"/etc/hostname\" is outside $(realpath "$in/repo"), the folder inputs are restricted to (--restrict)" \
    "$MTFS" --restrict "$in/repo" validate "$in/repo/scenarios/escape_include.cfg"
expect_line "--restrict refuses a symlink out" 2 \
    "$in/repo/scenarios/escape_link.cfg: is outside $(realpath "$in/repo"), the folder inputs are restricted to (--restrict)" \
    "$MTFS" --restrict "$in/repo" validate "$in/repo/scenarios/escape_link.cfg"
check "--restrict allows files inside" "$MTFS" --restrict "$in/repo" validate -q "$in/repo/scenarios/inside.cfg"
check "MTFS_RESTRICT does the same" bash -c "! MTFS_RESTRICT='$in/repo' '$MTFS' validate -q '$in/repo/scenarios/escape_link.cfg' 2>/dev/null"
expect_line "--restrict to a missing folder is a usage error" 2 \
    "mtfs: --restrict '$in/nowhere': not a directory (expected the folder inputs must stay inside)" \
    "$MTFS" --restrict "$in/nowhere" validate "$in/repo/scenarios/inside.cfg"
(cd "$in/repo" && CI=true timeout 20 "$MTFS" batch scenarios >"$TMP/in-out" 2>/dev/null)
check "batch under CI=true is restricted to the working directory by default" \
    grep -q '1 ok, 0 failed, 3 error' "$TMP/in-out"
(cd "$in/repo" && CI=true timeout 20 "$MTFS" batch --no-restrict scenarios/inside.cfg scenarios/escape_link.cfg >"$TMP/in-out" 2>/dev/null)
check "batch --no-restrict lifts the CI default" grep -q '2 ok, 0 failed, 0 error' "$TMP/in-out"
check "shipped fair-funding scenario runs under --restrict ." "$MTFS" --restrict . validate -q scenarios/leics_2025_fair_funding.cfg

# --- resource limits: a Monte Carlo run whose paths do not fit streams them (the same
# numbers: tests/unit/test_mc_stream.c, 010-uncertainty.sh); one that cannot run even so
# is refused up front, before anything is allocated ---
"$MTFS" mc tests/good/mc/tiny.cfg --paths 1000000 --threads 1 --max-memory 12 -q --format csv \
    >"$TMP/mc-bounded.csv" 2>"$TMP/err"
check "mc over --max-memory streams rather than refusing" test $? = 0
expect_line "mc refuses a run that does not fit even with bounded memory" 2 \
    "tests/good/mc/tiny.cfg: a bounded-memory run over 3 years on 1 thread needs 11 MiB, more than the 1 MiB allowed (--max-memory): allow more with --max-memory" \
    "$MTFS" mc tests/good/mc/tiny.cfg --paths 1000000 --threads 1 --max-memory 1 -q
expect_line "mc refuses more paths than one request may ask for" 2 \
    "$(printf "mtfs: --paths '100000001' is not a whole number from 1 to 100000000\nTry 'mtfs mc --help'.")" \
    "$MTFS" mc tests/good/mc/tiny.cfg --paths 100000001 -q

# --- a file name that is not UTF-8 is refused where validate sees it, not by a writer later ---
latin1="$in/$(printf 'h\351.cfg')"
cp tests/good/hand.cfg "$latin1"
expect_line "a file name that is not UTF-8 fails validate too" 2 \
    "$latin1: the file name is not valid UTF-8 (expected a UTF-8 name: rename the file)" \
    "$MTFS" validate "$latin1"
timeout 20 "$MTFS" run "$latin1" --format json >/dev/null 2>"$TMP/in-err"
status=$?
check "a file name that is not UTF-8: run --format json exits 2 (got $status)" test "$status" = 2
check "a file name that is not UTF-8: never 'out of memory'" bash -c "! grep -q 'out of memory' '$TMP/in-err'"

# --- encodings: a UTF-8 byte-order mark is skipped, UTF-16 is refused by name ---------
check "a scenario saved as UTF-8 with a byte-order mark validates" \
    "$MTFS" validate -q tests/good/encoding/utf8_bom.cfg
check "... and projects exactly as without the mark" \
    bash -c "cmp -s <('$MTFS' run tests/good/encoding/utf8_bom.cfg --format csv) <('$MTFS' run tests/good/hand.cfg --format csv)"

# brief.formulas: checked when the scenario is read, so validate sees what brief would.
mkfifo "$in/pipe_formula.cfg"
sed "s|formula = \"../../formulas/per_head_average.cfg\"|formula = \"$ROOT/formulas/per_head_average.cfg\"|" \
    tests/bad/brief_formula_missing.cfg | sed "s|base = \"lib/common.cfg\"|base = \"$ROOT/tests/bad/lib/common.cfg\"|" |
    sed "s|formulas = \[.*\]|formulas = [\"pipe_formula.cfg\"]|" >"$in/brief_pipe.cfg"
expect_line "a named pipe in brief.formulas fails validate at once" 2 \
    "$in/brief_pipe.cfg:3: key 'brief.formulas[1]': cannot use 'pipe_formula.cfg': is a named pipe (expected a formula file such as ../formulas/ffr_like.cfg)" \
    "$MTFS" validate "$in/brief_pipe.cfg"
