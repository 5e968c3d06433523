#!/usr/bin/env bash
# tests/run.sh - the mtfs test suite: unit tests, then the command line.
#
# This file holds what every section shares (the variables, $TMP and the
# pass/fail/check/mtfs/expect_status helpers) and the closing summary; the
# tests are the sections in tests/run.d/, sourced in the order of their
# names: 001- to 018- (unit tests, bad and good scenarios, ... run -o), then
# 10-inputs, 20-output-sets, 30-data.  To add tests, add a file there (or
# lines to the section of their concern); it uses the helpers below and
# writes only under $TMP.
#
# Environment: MTFS (the binary), UNIT (the unit-test binary), WRAP (a
# command prefix such as valgrind, applied to every program run).
# Ends with the line "N passed, N failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
MTFS=${MTFS:-$ROOT/mtfs}
UNIT=${UNIT:-$ROOT/build/tests/test_unit}
WRAP=${WRAP:-}
passed=0
failed=0
# The suite chooses its own input restriction: CI=true would otherwise
# restrict every batch to the checkout (tests/run.d/10-inputs.sh tests that).
unset CI MTFS_RESTRICT
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mtfs-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    local name=$1; shift
    if "$@"; then pass; else fail "$name"; fi
}
mtfs() { $WRAP "$MTFS" "$@"; }
expect_status() { # expect_status WANT NAME ARGS...: mtfs ARGS exits WANT (output in $TMP/out, $TMP/err)
    local want=$1 name=$2; shift 2
    mtfs "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" = "$want" ]; then pass; else fail "$name: exit $got, want $want"; fi
}

# --- the sections, one file per concern (sourced: they share pass/fail) ---
# Each prints its name as it starts (one line), so a long run shows where it
# is; a failure's FAIL line comes under its section.
# MTFS_TEST_TIMES=1 prints each section's seconds on stderr (to find what
# makes a valgrind run slow).  MTFS_TEST_ONLY=WORD runs only the sections
# whose file name contains WORD (e.g. MTFS_TEST_ONLY=070-docs).
for part in tests/run.d/*.sh; do
    [ -e "$part" ] || continue
    case "$part" in *"${MTFS_TEST_ONLY:-}"*) ;; *) continue ;; esac
    section=${part#tests/run.d/}
    printf -- '-- %s\n' "${section%.sh}"
    started=$SECONDS
    # shellcheck source=/dev/null
    . "$part"
    [ -z "${MTFS_TEST_TIMES:-}" ] || printf 'time %4d s  %s\n' $((SECONDS - started)) "$part" >&2
done

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
