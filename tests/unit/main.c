/*
 * main.c - the unit-test program: runs every suite of suites.h and prints
 * the closing "unit: N passed, N failed" line that tests/run.sh adds to
 * the suite's total.  Run from the repository root (paths are relative).
 *
 *     test_unit                 every suite, in the order of suites.h
 *     test_unit mc formula      only those suites
 *     test_unit -x faults       every suite but those named after -x
 *
 * With MTFS_TEST_TIMES set, each suite's seconds go to standard error
 * (as tests/run.sh prints each section's), to find what makes a valgrind
 * run slow.  An unknown suite name is an error (exit 2), so a typo in a
 * CI line cannot silently run nothing.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *name;
    void (*run)(void);
} suites[] = {
#define SUITE(name) {#name, suite_##name},
#include "suites.h"
#undef SUITE
};
enum { N_SUITES = sizeof suites / sizeof suites[0] };

static int find(const char *name)
{
    for (int i = 0; i < N_SUITES; i++)
        if (strcmp(suites[i].name, name) == 0)
            return i;
    return -1;
}

int main(int argc, char **argv)
{
    /* chosen[i]: 1 run, 0 not; with no names every suite runs. */
    char chosen[N_SUITES];
    int named = 0, excluding = 0;
    for (int a = 1; a < argc; a++)
        if (strcmp(argv[a], "-x") != 0)
            named++;
        else
            excluding = 1;
    memset(chosen, named && !excluding ? 0 : 1, sizeof chosen);
    for (int a = 1; a < argc; a++) {
        int drop = strcmp(argv[a], "-x") == 0;
        if (drop && ++a >= argc)
            break;
        int i = find(argv[a]);
        if (i < 0) {
            fprintf(stderr, "test_unit: no suite '%s' (the suites are the SUITE lines of tests/unit/suites.h)\n",
                    argv[a]);
            return 2;
        }
        chosen[i] = (char)!drop;
    }
    int times = getenv("MTFS_TEST_TIMES") && *getenv("MTFS_TEST_TIMES");
    for (int i = 0; i < N_SUITES; i++) {
        if (!chosen[i])
            continue;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        suites[i].run();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (times)
            fprintf(stderr, "time %6.1f s  unit/%s\n",
                    (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
                    suites[i].name);
    }
    return check_summary("unit");
}
