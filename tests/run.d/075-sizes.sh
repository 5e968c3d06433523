# tests/run.d/075-sizes.sh - no source file over 1,200 lines and no function body over 120
# (issue 14; the rule is in docs/architecture.md, "Sizes").
# Sourced by tests/run.sh (uses check, $TMP, $ROOT).

# --- the counter ------------------------------------------------------------------------------
SIZES_FILE_MAX=1200
SIZES_BODY_MAX=120
# function_bodies FILE...: "LINES FILE:LINE NAME" for every function, LINES counting the lines
# strictly between its opening brace (alone at column 0, or ending a column-0 line ") {") and
# its closing brace at column 0.  NAME is the last word before "(" on the latest column-0
# line that opened a parenthesis (a declaration's first line).
function_bodies() {
    awk '
    FNR == 1 { name = ""; open = 0 }
    !open && /^[A-Za-z_][^;]*\(/ && !/^(#|\/\*| \*)/ {
        s = $0; sub(/\(.*/, "", s); n = split(s, w, /[^A-Za-z0-9_]+/); name = w[n]
    }
    !open && (/^\{[ \t]*$/ || (/^[A-Za-z_].*\)[ \t]*\{[ \t]*$/ && !/=/)) { open = FNR; next }
    open && /^\}/ { print FNR - open - 1, FILENAME ":" open, name; open = 0 }
    ' "$@"
}
# over_size FILE...: each file over SIZES_FILE_MAX lines and each function body over
# SIZES_BODY_MAX, one a line.
over_size() {
    awk -v max="$SIZES_FILE_MAX" 'FNR == 1 && prev { if (n > max) print prev ": " n " lines" }
        { prev = FILENAME; n = FNR }
        END { if (prev && n > max) print prev ": " n " lines" }' "$@"
    function_bodies "$@" | awk -v max="$SIZES_BODY_MAX" '$1 > max { print $2 ": " $3 "() body " $1 " lines" }'
}

# --- the counter can fail -----------------------------------------------------------------------
# A made-up file: f's body is one line too long, g (a ") {" line, braces of its own inside)
# exactly at the limit, and a table's initialiser is no function.
{
    printf 'static const int table[] = {\n'
    for i in $(seq 1 200); do printf '    %d,\n' "$i"; done
    printf '};\n\nstatic int f(int x,\n             int y)\n{\n'
    for i in $(seq 1 121); do printf '    x += y;\n'; done
    printf '}\n\nint g(void) {\n    if (1) {\n'
    for i in $(seq 1 117); do printf '        (void)0;\n'; done
    printf '    }\n    return 0;\n}\n'
} >"$TMP/sizes.c"
check "sizes: the counter finds a 121-line body and only it" \
    test "$(over_size "$TMP/sizes.c")" = "$TMP/sizes.c:206: f() body 121 lines"
check "sizes: the counter reads a \") {\" function" \
    test "$(function_bodies "$TMP/sizes.c" | sed -n 2p)" = "120 $TMP/sizes.c:330 g"
seq 1 1201 >"$TMP/sizes.h"
check "sizes: the counter finds a 1,201-line file" \
    test "$(over_size "$TMP/sizes.h")" = "$TMP/sizes.h: 1201 lines"

# --- the tree -----------------------------------------------------------------------------------
sizes_over=$(cd "$ROOT" && over_size $(find src include -name '*.[ch]' | sort) | tr '\n' ';')
check "sizes: no file in src/ or include/ over $SIZES_FILE_MAX lines and no function body over $SIZES_BODY_MAX (over: $sizes_over)" \
    test -z "$sizes_over"
