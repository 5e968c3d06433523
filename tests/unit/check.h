/*
 * check.h - a minimal test harness: named checks with stated tolerances,
 * failures printed with file and line, and a closing "N passed, N failed".
 *
 * The unit tests are one program (build/tests/test_unit) made of one file
 * per library module, tests/unit/test_MODULE.c.  To add one:
 *
 *   1. write tests/unit/test_MODULE.c: include "check.h" (and "fixtures.h"
 *      for load(), project(), formula()), keep its tests static, and end
 *      with the one function the runner calls,
 *          void suite_MODULE(void) { test_a(); test_b(); }
 *   2. add the line SUITE(MODULE) to tests/unit/suites.h.
 *
 * The Makefile builds every .c file in tests/unit/ into the program, so it needs no
 * change.  Forgetting step 2 fails the build (suite_MODULE has no prototype
 * under -Wmissing-prototypes -Werror) rather than silently skipping tests.
 */
#ifndef MTFS_CHECK_H
#define MTFS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The counts of every suite together (defined in check.c). */
extern int check_passed, check_failed;

/* Counts one check; prints "FAIL file:line: what: detail" when !ok. */
void check_report(int ok, const char *file, int line, const char *what, const char *detail);

/* Prints "SUITE: N passed, N failed"; returns the exit status (1 if any failed). */
int check_summary(const char *suite);

/* One function per test file, named in suites.h. */
#define SUITE(name) void suite_##name(void);
#include "suites.h"
#undef SUITE

#define CHECK(cond) check_report((cond) != 0, __FILE__, __LINE__, #cond, "")

/* |got - want| <= rel * |want| + abs_tol */
#define CHECK_CLOSE(got, want, rel, abs_tol)                                                     \
    do {                                                                                         \
        double g_ = (got), w_ = (want);                                                          \
        char d_[160];                                                                            \
        snprintf(d_, sizeof d_, "got %.17g, want %.17g", g_, w_);                                \
        check_report(isfinite(g_) && fabs(g_ - w_) <= (rel) * fabs(w_) + (abs_tol), __FILE__,    \
                     __LINE__, #got, d_);                                                        \
    } while (0)

/* The tolerance of hand-computed values: the engine must match model.md to
 * 1e-9 relative; these decimal examples are exact to rounding, so 1e-12. */
#define CHECK_HAND(got, want) CHECK_CLOSE(got, want, 1e-12, 1e-12)

#define CHECK_STR(got, want)                                                                     \
    do {                                                                                         \
        const char *g_ = (got), *w_ = (want);                                                    \
        char d_[1200];                                                                           \
        snprintf(d_, sizeof d_, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_);             \
        check_report(g_ && strcmp(g_, w_) == 0, __FILE__, __LINE__, #got, d_);                  \
    } while (0)

#endif
