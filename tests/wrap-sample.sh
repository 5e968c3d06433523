#!/usr/bin/env bash
# tests/wrap-sample.sh PROGRAM ARGS... - run PROGRAM under $SAMPLE_WRAP
# (valgrind and its options) on one call in $SAMPLE_EVERY, the others
# directly.  `make valgrind VALGRIND_SAMPLE=k` sets it as the suite's WRAP:
# CI's valgrind step takes that sample, since its sanitizer step already
# runs every command under AddressSanitizer and UBSan.
#
# The calls are counted in the file $SAMPLE_COUNTER, so the sample is the
# 1st, (1+k)th, (1+2k)th, ... program the suite runs: the same ones on
# every run (the suite runs its programs one after another; the unit-test
# program, the first, is always in it).
set -u
n=0
[ -s "$SAMPLE_COUNTER" ] && read -r n <"$SAMPLE_COUNTER"
n=$((n + 1))
printf '%d\n' "$n" >"$SAMPLE_COUNTER"
if [ $(((n - 1) % SAMPLE_EVERY)) -eq 0 ]; then
    # shellcheck disable=SC2086 # SAMPLE_WRAP is a command and its options
    exec $SAMPLE_WRAP "$@"
fi
exec "$@"
