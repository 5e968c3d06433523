/*
 * check.c - the harness's counters and reports (see check.h), shared by
 * every test file of the unit-test program.
 */
#include "check.h"

int check_passed, check_failed;

void check_report(int ok, const char *file, int line, const char *what, const char *detail)
{
    if (ok) {
        check_passed++;
        return;
    }
    check_failed++;
    printf("FAIL %s:%d: %s%s%s\n", file, line, what, detail[0] ? ": " : "", detail);
}

int check_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}
