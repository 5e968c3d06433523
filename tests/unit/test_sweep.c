/*
 * test_sweep.c - the national sweep's library (sweep.c) by hand on
 * tests/good/formula/sweep_two.cfg (two authorities, two blocks of weight
 * 0.5; tests/run.d/255-sweep.sh works the numbers through): the layout of
 * items and rows, the grid's weights, the changes, the shard ranges, the
 * same numbers for any thread count and shards that merge exactly.
 */
#include "check.h"
#include "mtfs/mtfs.h"

#include <stdlib.h>
#include <unistd.h>

static const char *const two[] = {"tests/good/formula/sweep_two.cfg"};

static mtfs_sweep *sweep(size_t steps, double spread, size_t paths, size_t threads)
{
    mtfs_sweep_options o = {steps, spread, paths, 5, threads};
    mtfs_sweep *s = NULL;
    mtfs_error err;
    mtfs_error_clear(&err);
    CHECK(mtfs_sweep_new(two, 1, &o, &s, &err) == MTFS_OK);
    if (s)
        CHECK(mtfs_sweep_compute(s, 0, s->n_items, &err) == MTFS_OK);
    return s;
}

/* change_A = -35 + 25 w for weights w, 1 - w: -22.5 at 0.5; the grid at
 * spread 0.2, 3 steps: 0.4, 0.5, 0.6 for each block. */
static void test_sweep_by_hand(void)
{
    mtfs_sweep *s = sweep(3, 0.2, 400, 1);
    if (!s)
        return;
    CHECK(s->n_items == 7 && s->n_rows == 14);
    CHECK_HAND(s->under[0] - s->now[0], -22.5);
    CHECK_HAND(s->under[1] - s->now[1], 22.5);
    static const double w[] = {0.5, 0.4, 0.5, 0.6, 0.6, 0.5, 0.4};   /* the first block's weight */
    for (size_t i = 0; i < 7; i++) {
        const mtfs_sweep_item *it = &s->items[i];
        CHECK(it->variant == i && it->n_rows == 2 && it->first_row == 2 * i);
        CHECK_HAND(it->weights[0], w[i]);
        CHECK_HAND(it->weights[0] + it->weights[1], 1.0);
        CHECK_HAND(s->under[it->first_row] - s->now[it->first_row], -35.0 + 25.0 * w[i]);
        /* A draw scales each weight by 0.8 to 1.2, so the first block's
         * weight stays within 0.8 c / (0.8 c + 1.2 (1 - c)) and
         * 1.2 c / (1.2 c + 0.8 (1 - c)) (0.4 and 0.6 for c = 0.5); the
         * percentiles are ordered and Beta's are minus Alpha's. */
        double c = w[i], lo = 0.8 * c / (0.8 * c + 1.2 * (1.0 - c)), hi = 1.2 * c / (1.2 * c + 0.8 * (1.0 - c));
        double p10 = s->p10[it->first_row], p90 = s->p90[it->first_row];
        CHECK(p10 >= -35.0 + 25.0 * lo - 1e-12 && p10 <= s->p50[it->first_row] &&
              s->p50[it->first_row] <= p90 && p90 <= -35.0 + 25.0 * hi + 1e-12);
        CHECK_CLOSE(s->p10[it->first_row + 1], -p90, 0.0, 1e-9);
    }
    CHECK(s->items[0].block == (size_t)-1 && s->items[1].block == 0 && s->items[4].block == 1);
    mtfs_sweep_free(s);
}

/* No spread: every draw is the formula's weights. */
static void test_sweep_no_spread(void)
{
    mtfs_sweep *s = sweep(0, 0.0, 3, 1);
    if (!s)
        return;
    CHECK(s->n_items == 1);
    CHECK_HAND(s->p10[0], -22.5);
    CHECK_HAND(s->p90[0], -22.5);
    mtfs_sweep_free(s);
}

static void test_sweep_shard_range(void)
{
    mtfs_sweep s = {0};
    s.n_items = 5;
    size_t a, b;
    mtfs_sweep_shard_range(&s, 1, 7, &a, &b);
    CHECK(a == 0 && b == 0);                    /* floor(5/7) = 0: empty */
    mtfs_sweep_shard_range(&s, 7, 7, &a, &b);
    CHECK(a == 4 && b == 5);
    mtfs_sweep_shard_range(&s, 2, 2, &a, &b);
    CHECK(a == 2 && b == 5);
}

/* Threads and shards change no bit. */
static void test_sweep_same_bits(void)
{
    mtfs_sweep *one = sweep(3, 0.2, 300, 1), *four = sweep(3, 0.2, 300, 4);
    if (one && four)
        for (size_t r = 0; r < one->n_rows; r++)
            CHECK(one->under[r] == four->under[r] && one->p10[r] == four->p10[r] &&
                  one->p50[r] == four->p50[r] && one->p90[r] == four->p90[r]);
    char dir[] = "/tmp/mtfs-test-sweep.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[3][64];
    const char *paths[3];
    mtfs_error err;
    mtfs_error_clear(&err);
    for (size_t k = 1; k <= 3; k++) {
        mtfs_sweep_options o = {3, 0.2, 300, 5, 2};
        mtfs_sweep *s = NULL;
        size_t a, b;
        snprintf(path[k - 1], sizeof path[0], "%s/sweep.%zu-of-3.sweeppart", dir, k);
        paths[k - 1] = path[k - 1];
        CHECK(mtfs_sweep_new(two, 1, &o, &s, &err) == MTFS_OK);
        if (!s)
            continue;
        mtfs_sweep_shard_range(s, k, 3, &a, &b);
        CHECK(mtfs_sweep_compute(s, a, b, &err) == MTFS_OK);
        FILE *f = fopen(path[k - 1], "w");
        CHECK(f && mtfs_sweep_partial_write(f, s, k, 3, &err) == MTFS_OK);
        if (f)
            fclose(f);
        mtfs_sweep_free(s);
    }
    mtfs_sweep *merged = NULL;
    CHECK(mtfs_sweep_merge(paths, 3, 1, &merged, &err) == MTFS_OK);
    if (merged && one)
        for (size_t r = 0; r < one->n_rows; r++)
            CHECK(one->under[r] == merged->under[r] && one->p10[r] == merged->p10[r] &&
                  one->p50[r] == merged->p50[r] && one->p90[r] == merged->p90[r]);
    /* Two shards of three: the third is named as missing. */
    mtfs_sweep *part = NULL;
    CHECK(mtfs_sweep_merge(paths, 2, 1, &part, &err) == MTFS_EINPUT && part == NULL);
    CHECK(strstr(err.message, "shard 3 of 3 is missing") != NULL);
    for (size_t k = 0; k < 3; k++)
        unlink(path[k]);
    rmdir(dir);
    mtfs_sweep_free(merged);
    mtfs_sweep_free(one);
    mtfs_sweep_free(four);
}

/* Options a caller of the library gets wrong are refused, nothing made. */
static void test_sweep_bad_options(void)
{
    mtfs_sweep_options o = {1, 0.2, 10, 1, 1};
    mtfs_sweep *s = NULL;
    mtfs_error err;
    mtfs_error_clear(&err);
    CHECK(mtfs_sweep_new(two, 1, &o, &s, &err) == MTFS_EINPUT && s == NULL);
    o.steps = 3;
    o.spread = 1.0;
    CHECK(mtfs_sweep_new(two, 1, &o, &s, &err) == MTFS_EINPUT && s == NULL);
    o.spread = 0.2;
    CHECK(mtfs_sweep_new(two, 0, &o, &s, &err) == MTFS_EINPUT && s == NULL);
}

void suite_sweep(void)
{
    test_sweep_by_hand();
    test_sweep_no_spread();
    test_sweep_shard_range();
    test_sweep_same_bits();
    test_sweep_bad_options();
}
