/*
 * test_faults.c - fault injection (mtfs_alloc_fail_after): every allocation
 * of a load, a projection and the analyses fails in turn, and each failure
 * is a clean MTFS_ENOMEM (make asan and make valgrind check for leaks).
 */
#include "check.h"
#include "fixtures.h"

#include <stdlib.h>

/* Which allocations fail: every one (1, the default), or with
 * MTFS_FAULT_STRIDE=k the 1st, (1+k)th, (1+2k)th, ...: CI's valgrind step
 * takes such a sample (the sanitizer step runs every one). */
static unsigned long fault_stride(void)
{
    const char *text = getenv("MTFS_FAULT_STRIDE");
    long k = text ? atol(text) : 1;
    return k >= 1 && k <= 1000 ? (unsigned long)k : 1;
}

/* Fault injection: make the n-th allocation fail for every n a load and a
 * projection make; each failure must be a clean MTFS_ENOMEM, never a crash
 * or a leak (the sanitizer and valgrind runs check the leaks). */
static void test_allocation_failures_of(const char *file)
{
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 100000 && !reached_success; n += fault_stride()) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_alloc_fail_after(n);
        mtfs_status st = mtfs_scenario_load(file, &s, &err);
        if (st == MTFS_OK) {
            mtfs_projection *p = mtfs_projection_alloc(s);
            if (p) {
                st = mtfs_project(s, p, &err);
                clean &= st == MTFS_OK;
                reached_success = 1;
            }
            mtfs_projection_free(p);
            mtfs_scenario_free(s);
        } else {
            clean &= st == MTFS_ENOMEM && s == NULL;
        }
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
}

/* Every allocation of a load and projection fails in turn: each failure is
 * a clean out-of-memory error (leaks show under make asan / valgrind). */
static void test_allocation_failures(void)
{
    test_allocation_failures_of("scenarios/leics_2025_referendum.cfg");
    test_allocation_failures_of("tests/good/hand_reform.cfg");   /* with a formula and its data */
    test_allocation_failures_of("tests/good/brief_mini.cfg");    /* and a brief block */
    test_allocation_failures_of("tests/good/hand_earmarked.cfg"); /* earmarked reserves */
    test_allocation_failures_of("scenarios/leics_2025_dsg.cfg"); /* with a dsg block */
}

/* Fault injection through the analysis modules: Monte Carlo (one thread,
 * so the failure count is deterministic), tornado, goal seek, sensitivity
 * and batch.  Every failure must be a clean MTFS_ENOMEM with nothing half
 * made; the sanitizer and valgrind runs check for leaks. */
static void test_allocation_failures_analysis(void)
{
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 200000 && !reached_success; n += fault_stride()) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_alloc_fail_after(n);
        mtfs_status st = mtfs_scenario_load("scenarios/leics_2025_uncertainty.cfg", &s, &err);
        if (st != MTFS_OK) {
            clean &= st == MTFS_ENOMEM && s == NULL;
            continue;
        }
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.paths = 64;   /* allocations do not depend on the path count */
        o.threads = 1;
        mtfs_mc_result *r = NULL;
        st = mtfs_mc_run(s, &o, &r, &err);
        clean &= st == MTFS_OK ? r != NULL : st == MTFS_ENOMEM && r == NULL;
        if (st == MTFS_OK) {
            /* Again, streaming: its passes allocate their own tables. */
            mtfs_mc_result *rs = NULL;
            o.streaming = 1;
            st = mtfs_mc_run(s, &o, &rs, &err);
            clean &= st == MTFS_OK ? rs != NULL : st == MTFS_ENOMEM && rs == NULL;
            mtfs_mc_result_free(rs);
        }
        mtfs_tornado *t = NULL;
        if (st == MTFS_OK) {
            st = mtfs_tornado_compute(s, &t, &err);
            clean &= st == MTFS_OK ? t != NULL : st == MTFS_ENOMEM && t == NULL;
        }
        mtfs_goalseek_result g;
        mtfs_goalseek_spec spec;
        memset(&spec, 0, sizeof spec);
        if (st == MTFS_OK) {
            mtfs_condition_parse("gap[2028] <= 0", &spec.target, &err);
            spec.lever = MTFS_LEVER_COUNCIL_TAX;
            st = mtfs_goalseek(s, &spec, &g, &err);
            clean &= st == MTFS_OK || st == MTFS_ENOMEM;
        }
        mtfs_sensitivity_row *rows = NULL;
        size_t count;
        double base;
        if (st == MTFS_OK) {
            st = mtfs_sensitivity_compute(s, &rows, &count, &base, &err);
            clean &= st == MTFS_OK ? rows != NULL : st == MTFS_ENOMEM && rows == NULL;
        }
        mtfs_batch *b = NULL;
        if (st == MTFS_OK) {
            b = mtfs_batch_new(&spec.target, 1);
            st = b ? mtfs_batch_run_file(b, "scenarios/leics_2025_central.cfg", &err) : MTFS_ENOMEM;
            clean &= st == MTFS_OK || st == MTFS_ENOMEM;
            /* The same base twice: parsed once, then copied from the cache. */
            for (int k = 0; k < 2 && st == MTFS_OK; k++) {
                st = mtfs_batch_run_file(b, "scenarios/leics_2025_savings_70.cfg", &err);
                clean &= st == MTFS_OK || st == MTFS_ENOMEM;
            }
        }
        if (st == MTFS_OK)
            reached_success = 1;
        mtfs_batch_free(b);
        mtfs_sensitivity_free(rows);
        mtfs_tornado_free(t);
        mtfs_mc_result_free(r);
        mtfs_scenario_free(s);
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
}

void suite_faults(void)
{
    test_allocation_failures();
    test_allocation_failures_analysis();
}
