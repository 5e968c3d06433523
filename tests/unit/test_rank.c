/*
 * test_rank.c - mtfs_rank (formula.c): standard competition ranks, the
 * tolerance that makes float noise no difference, the order of equal
 * values by name, and the rank text; and a formula's ranks on
 * tests/data/ties.csv, by hand.
 */
#include "check.h"
#include "fixtures.h"

#include <string.h>

static void test_competition_ranks(void)
{
    /* 700 three times (two of them off by float noise), 900, 500 twice. */
    const double v[] = {500.0, 700.0, 900.0, 700.0000000000002, 500.0, 700.0000000000001};
    const char *const name[] = {"Zeta", "Delta", "Eta", "Alpha", "Gamma", "Beta"};
    size_t order[6], rank[6], shared[6];
    mtfs_rank(6, v, name, order, rank, shared);
    /* 1, =2, =2, =2, =5, =5 */
    const size_t want_rank[] = {5, 2, 1, 2, 5, 2}, want_shared[] = {2, 3, 1, 3, 2, 3};
    for (size_t i = 0; i < 6; i++)
        CHECK(rank[i] == want_rank[i] && shared[i] == want_shared[i]);
    /* Highest first; equal ones by name whatever their noise. */
    const size_t want_order[] = {2, 3, 5, 1, 4, 0};
    CHECK(memcmp(order, want_order, sizeof order) == 0);
}

static void test_tolerance(void)
{
    /* 1e-9 of the larger magnitude (at least 1) is equal; more is not. */
    CHECK(mtfs_rank_equal(1000.0, 1000.0 * (1.0 + 0.9e-9)));
    CHECK(!mtfs_rank_equal(1000.0, 1000.0 * (1.0 + 1.1e-9)));
    CHECK(!mtfs_rank_equal(1000.0, 1000.01));  /* a penny a head is a difference */
    CHECK(mtfs_rank_equal(0.0, 0.9e-9));       /* near zero: 1e-9 absolute */
    CHECK(!mtfs_rank_equal(0.0, 1.1e-9));
    CHECK(mtfs_rank_equal(-0.0, 0.0));
    /* A group grows from its first member: 3 and 3 - 0.9e-9 x 3 tie with
     * it, 3 - 1.8e-9 x 3 does not, though it is within the tolerance of the
     * member before it. */
    const double v[] = {3.0, 3.0 * (1.0 - 0.9e-9), 3.0 * (1.0 - 1.8e-9)};
    size_t order[3], rank[3], shared[3];
    mtfs_rank(3, v, NULL, order, rank, shared);
    CHECK(rank[0] == 1 && rank[1] == 1 && rank[2] == 3);
    CHECK(shared[0] == 2 && shared[2] == 1);
    /* No names: equal ones in index order; no shared_by wanted. */
    const double same[] = {1.0, 1.0, 1.0};
    mtfs_rank(3, same, NULL, order, rank, NULL);
    CHECK(order[0] == 0 && order[1] == 1 && order[2] == 2);
    CHECK(rank[0] == 1 && rank[1] == 1 && rank[2] == 1);
    mtfs_rank(0, same, NULL, order, rank, shared);   /* nothing to rank */
}

static void test_rank_text(void)
{
    char buf[16];
    CHECK_STR(mtfs_rank_text(2, 1, buf, sizeof buf), "2");
    CHECK_STR(mtfs_rank_text(2, 3, buf, sizeof buf), "=2");
    CHECK_STR(mtfs_rank_text(14, 25, buf, sizeof buf), "=14");
}

/* tests/data/ties.csv, each authority keeping its baseline: per head
 * 900, 700, 700, 700, 500, 500, 500.00005 -> 1, =2, =2, =2, =6, =6, 5. */
static void test_formula_ties(void)
{
    mtfs_formula_result *r = formula("tests/good/formula/ties.cfg");
    if (r) {
        const size_t want[] = {1, 2, 2, 2, 6, 6, 5}, shared[] = {1, 3, 3, 3, 2, 2, 1};
        CHECK(r->n == 7);
        for (size_t i = 0; i < 7 && i < r->n; i++)
            CHECK(r->rank[i] == want[i] && r->rank_shared_by[i] == shared[i]);
        /* Eta, Alpha, Beta, Delta, Epsilon, Gamma, Zeta */
        const size_t order[] = {0, 2, 1, 3, 6, 4, 5};
        CHECK(r->n == 7 && memcmp(r->order, order, sizeof order) == 0);
        CHECK_HAND(r->per_head[1], 700.0);
        mtfs_formula_result_free(r);
    }
}

void suite_rank(void)
{
    test_competition_ranks();
    test_tolerance();
    test_rank_text();
    test_formula_ties();
}
