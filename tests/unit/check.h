/*
 * check.h - a minimal test harness: named checks with stated tolerances,
 * failures printed with file and line, and a closing "N passed, N failed".
 */
#ifndef MTFS_CHECK_H
#define MTFS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static void check_report(int ok, const char *file, int line, const char *what, const char *detail)
{
    if (ok) {
        check_passed++;
        return;
    }
    check_failed++;
    printf("FAIL %s:%d: %s%s%s\n", file, line, what, detail[0] ? ": " : "", detail);
}

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

static int check_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
