/*
 * test_mc_shard.c - Monte Carlo shards and their merge (mc_shard.c): the
 * shards of a run, written to partial files and merged, give the single
 * run's result bit for bit (in memory and in passes, for 1, 2, 3 and 7
 * shards, 7 leaving some shards empty); and every allocation of a shard,
 * its write, its reading and the merge fails in turn, cleanly.  And
 * mc_run_ranks (mtfs-mpi's engine) on three ranks played by threads over a
 * shared-memory reducer gives the single run's result on every rank.
 */
#include "check.h"
#include "fixtures.h"

#include "mc_source.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCENARIO "scenarios/leics_2025_uncertainty.cfg"

/* Every number of two results is the same bits. */
static int same_result(const mtfs_mc_result *a, const mtfs_mc_result *b)
{
    size_t W = a->horizon + 1;
    size_t n = 3 * MTFS_MC_NPCT * W + 3 * W + a->n_thresholds * W + 2 * W;
    return a->paths == b->paths && a->horizon == b->horizon && a->seed == b->seed &&
           a->n_thresholds == b->n_thresholds &&
           memcmp(a->gap_pct, b->gap_pct, n * sizeof(double)) == 0;
}

/* Shards 1..n of the run o describes, written under dir, their names in
 * names[k] (room for n); MTFS_OK or the first failure. */
static mtfs_status write_shards(const mtfs_scenario *s, const mtfs_mc_options *o, size_t n,
                                const char *dir, char names[][256], mtfs_error *err)
{
    for (size_t k = 1; k <= n; k++) {
        mtfs_mc_partial *p = NULL;
        mtfs_status st = mtfs_mc_shard(s, o, k, n, &p, err);
        if (st != MTFS_OK) {
            CHECK(p == NULL);
            return st;
        }
        snprintf(names[k - 1], 256, "%s/part%zu.mcpart", dir, k);
        FILE *f = fopen(names[k - 1], "wb");
        CHECK(f != NULL);
        if (f) {
            st = mtfs_mc_partial_write(f, p, err);
            fclose(f);
        }
        mtfs_mc_partial_free(p);
        if (st != MTFS_OK)
            return st;
    }
    return MTFS_OK;
}

/* Open names[0..n) and merge them; *r the result or NULL. */
static mtfs_status merge_files(const mtfs_scenario *s, char names[][256], size_t n, int streaming,
                               mtfs_mc_result **r, mtfs_error *err)
{
    mtfs_mc_partial *parts[8] = {NULL};
    mtfs_status st = MTFS_OK;
    *r = NULL;
    /* In reverse order: the merge sorts them by shard. */
    for (size_t i = 0; i < n && st == MTFS_OK; i++) {
        st = mtfs_mc_partial_open(names[n - 1 - i], &parts[i], err);
        if (st != MTFS_OK)
            CHECK(parts[i] == NULL);
    }
    if (st == MTFS_OK) {
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.threads = 2;
        o.streaming = streaming;
        st = mtfs_mc_merge(s, parts, n, &o, r, err);
    }
    for (size_t i = 0; i < n; i++)
        mtfs_mc_partial_free(parts[i]);
    return st;
}

static void test_shards_merge_exactly(void)
{
    char dir[] = "/tmp/mtfs-shards-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    mtfs_scenario *s = load(SCENARIO);
    mtfs_mc_options o;
    memset(&o, 0, sizeof o);
    o.paths = 5000;     /* 5 blocks, the last one short */
    o.seed_given = 1;
    o.seed = 99;
    o.threads = 2;
    mtfs_mc_result *one = NULL;
    mtfs_error err;
    CHECK(mtfs_mc_run(s, &o, &one, &err) == MTFS_OK);
    static const size_t counts[] = {1, 2, 3, 7};
    char names[7][256];
    for (size_t c = 0; one && c < 4; c++) {
        size_t n = counts[c];
        o.threads = 1 + c % 2;
        CHECK(write_shards(s, &o, n, dir, names, &err) == MTFS_OK);
        for (int streaming = 0; streaming < 2; streaming++) {
            mtfs_mc_result *merged = NULL;
            mtfs_status st = merge_files(s, names, n, streaming, &merged, &err);
            CHECK(st == MTFS_OK);
            CHECK(merged && same_result(one, merged));
            CHECK(!merged || (streaming ? merged->passes >= 3 : merged->passes == 0));
            mtfs_mc_result_free(merged);
        }
        for (size_t k = 0; k < n; k++)
            unlink(names[k]);
    }
    /* A shard missing: refused, at the first partial's shard line. */
    CHECK(write_shards(s, &o, 3, dir, names, &err) == MTFS_OK);
    mtfs_mc_result *merged = NULL;
    CHECK(merge_files(s, names, 2, 0, &merged, &err) == MTFS_EINPUT && merged == NULL);
    CHECK_STR(err.key, "shard");
    CHECK(err.line == 7);
    CHECK_STR(err.message, "shard 3 of 3 is missing (expected one partial result for each of "
                           "shards 1 to 3)");
    for (size_t k = 0; k < 3; k++)
        unlink(names[k]);
    rmdir(dir);
    mtfs_mc_result_free(one);
    mtfs_scenario_free(s);
}

/* Every allocation of two shards, their writes, the reading of their
 * headers and the merge (in memory, then in passes) fails in turn: each is
 * a clean MTFS_ENOMEM (the sanitizer and valgrind runs check for leaks). */
static void test_shard_allocation_failures(void)
{
    char dir[] = "/tmp/mtfs-shards-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    mtfs_scenario *s = load(SCENARIO);
    mtfs_mc_options o;
    memset(&o, 0, sizeof o);
    o.paths = 2000;
    o.threads = 1;
    char names[2][256];
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 100000 && !reached_success; n++) {
        mtfs_error err;
        mtfs_alloc_fail_after(n);
        mtfs_status st = write_shards(s, &o, 2, dir, names, &err);
        mtfs_mc_result *r = NULL;
        for (int streaming = 0; streaming < 2 && st == MTFS_OK; streaming++) {
            st = merge_files(s, names, 2, streaming, &r, &err);
            clean &= st == MTFS_OK ? r != NULL : st == MTFS_ENOMEM && r == NULL;
            mtfs_mc_result_free(r);
        }
        clean &= st == MTFS_OK || st == MTFS_ENOMEM;
        reached_success = st == MTFS_OK;
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
    unlink(names[0]);
    unlink(names[1]);
    rmdir(dir);
    mtfs_scenario_free(s);
}

/* A batch in two shards, written and merged: the same entries in the same
 * order, every number equal; then every allocation of the merge fails in
 * turn, cleanly. */
static void test_batch_shards(void)
{
    char dir[] = "/tmp/mtfs-shards-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *files[] = {"scenarios/leics_2025_central.cfg", "tests/bad/amount_huge.cfg",
                     "scenarios/leics_2025_ct_freeze.cfg"};
    mtfs_condition c;
    mtfs_error err;
    CHECK(mtfs_condition_parse("final_gap > 20", &c, &err) == MTFS_OK);
    mtfs_batch *whole = mtfs_batch_new(&c, 1);
    for (size_t i = 0; whole && i < 3; i++)
        CHECK(mtfs_batch_run_file(whole, files[i], &err) == MTFS_OK);
    char names[2][256];
    for (size_t k = 1; k <= 2; k++) {
        mtfs_batch *b = mtfs_batch_new(&c, 1);
        size_t end = mtfs_batch_shard_first(k + 1, 2, 3);
        for (size_t i = mtfs_batch_shard_first(k, 2, 3); b && i < end; i++)
            CHECK(mtfs_batch_run_file(b, files[i], &err) == MTFS_OK);
        snprintf(names[k - 1], sizeof names[k - 1], "%s/batch.%zu-of-2.batchpart", dir, k);
        FILE *f = fopen(names[k - 1], "wb");
        CHECK(f && b && mtfs_batch_partial_write(f, b, files, 3, k, 2, &err) == MTFS_OK);
        if (f)
            fclose(f);
        mtfs_batch_free(b);
    }
    char *paths[] = {names[1], names[0]};
    mtfs_batch *merged = NULL;
    CHECK(mtfs_batch_merge(paths, 2, &merged, &err) == MTFS_OK);
    CHECK(merged && whole && merged->n_entries == 3 && merged->n_conditions == 1);
    for (size_t i = 0; merged && whole && i < 3; i++) {
        const mtfs_batch_entry *a = &whole->entries[i], *b = &merged->entries[i];
        CHECK_STR(b->file, a->file);
        CHECK(a->status == b->status && a->n_failed == b->n_failed);
        CHECK(!a->error || (b->error && strcmp(a->error, b->error) == 0));
        CHECK(!a->gap || (b->gap && a->horizon == b->horizon && a->final_gap == b->final_gap &&
                          memcmp(a->gap, b->gap, 3 * (a->horizon + 1) * sizeof(double)) == 0));
    }
    CHECK(merged && mtfs_batch_exit_code(merged) == mtfs_batch_exit_code(whole));
    mtfs_batch_free(merged);
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 100000 && !reached_success; n++) {
        mtfs_batch *m = NULL;
        mtfs_alloc_fail_after(n);
        mtfs_status st = mtfs_batch_merge(paths, 2, &m, &err);
        clean &= st == MTFS_OK ? m != NULL : st == MTFS_ENOMEM && m == NULL;
        reached_success = st == MTFS_OK;
        mtfs_batch_free(m);
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
    mtfs_batch_free(whole);
    unlink(names[0]);
    unlink(names[1]);
    rmdir(dir);
}

/* ---- mc_run_ranks with ranks as threads ---------------------------------
 * A reducer in shared memory, as MPI's collectives would be (mtfs-mpi):
 * each rank posts its array, all wait, each combines every rank's into a
 * copy, all wait, each takes its copy. */
#define RANKS 3
typedef struct {
    pthread_barrier_t bar;
    const void *posted[RANKS];
    const size_t *counts;
} fake_world;

typedef struct {
    fake_world *world;
    size_t rank;
    mc_reducer red;
    const mtfs_scenario *s;
    const mtfs_mc_options *o;
    mtfs_mc_result *result;
    mtfs_status st;
} fake_rank;

typedef struct {
    double least, greatest;
    size_t count;
} fake_bin;

__extension__ typedef __int128 fake_fixed;

enum { PAIRS, COUNTS, FIXED, BINS };

static int fake_reduce(fake_rank *me, int kind, void *a, size_t n)
{
    static const size_t size[] = {2 * sizeof(double), sizeof(size_t), sizeof(fake_fixed), sizeof(fake_bin)};
    unsigned char *out = malloc(n * size[kind] + 1);
    if (!out)
        return -1;
    me->world->posted[me->rank] = a;
    pthread_barrier_wait(&me->world->bar);
    memcpy(out, me->world->posted[0], n * size[kind]);
    for (size_t r = 1; r < RANKS; r++) {
        const unsigned char *in = me->world->posted[r];
        for (size_t i = 0; i < n; i++) {
            unsigned char *o = out + i * size[kind];
            const unsigned char *x = in + i * size[kind];
            if (kind == PAIRS) {
                double p[2], q[2];
                memcpy(p, o, sizeof p);
                memcpy(q, x, sizeof q);
                p[0] = q[0] < p[0] ? q[0] : p[0];
                p[1] = q[1] > p[1] ? q[1] : p[1];
                memcpy(o, p, sizeof p);
            } else if (kind == COUNTS) {
                size_t p, q;
                memcpy(&p, o, sizeof p);
                memcpy(&q, x, sizeof q);
                p += q;
                memcpy(o, &p, sizeof p);
            } else if (kind == FIXED) {
                fake_fixed p, q;
                memcpy(&p, o, sizeof p);
                memcpy(&q, x, sizeof q);
                p += q;
                memcpy(o, &p, sizeof p);
            } else {
                fake_bin p, q;
                memcpy(&p, o, sizeof p);
                memcpy(&q, x, sizeof q);
                p.count += q.count;
                p.least = q.least < p.least ? q.least : p.least;
                p.greatest = q.greatest > p.greatest ? q.greatest : p.greatest;
                memcpy(o, &p, sizeof p);
            }
        }
    }
    pthread_barrier_wait(&me->world->bar);
    memcpy(a, out, n * size[kind]);
    free(out);
    return 0;
}

static int fake_min_max(void *c, double *a, size_t n) { return fake_reduce(c, PAIRS, a, n); }
static int fake_sum_counts(void *c, size_t *a, size_t n) { return fake_reduce(c, COUNTS, a, n); }
static int fake_sum_fixed(void *c, void *a, size_t n) { return fake_reduce(c, FIXED, a, n); }
static int fake_bins(void *c, void *a, size_t n) { return fake_reduce(c, BINS, a, n); }

static int fake_concat(void *c, const double *mine, size_t n, double *all, const size_t *count)
{
    fake_rank *me = c;
    me->world->posted[me->rank] = mine;
    CHECK(count[me->rank] == n);
    pthread_barrier_wait(&me->world->bar);
    for (size_t r = 0, at = 0; r < RANKS; at += count[r++])
        memcpy(all + at, me->world->posted[r], count[r] * sizeof *all);
    pthread_barrier_wait(&me->world->bar);
    return 0;
}

static int fake_any(void *c, int failed)
{
    fake_rank *me = c;
    size_t flag = failed != 0;
    fake_reduce(me, COUNTS, &flag, 1);
    return flag != 0;
}

static void *fake_rank_run(void *arg)
{
    fake_rank *me = arg;
    me->red = (mc_reducer){me, me->rank, RANKS, fake_min_max, fake_sum_counts, fake_sum_fixed,
                           fake_bins, fake_concat, fake_any};
    mtfs_error err;
    me->st = mc_run_ranks(me->s, me->o, &me->red, &me->result, &err);
    return NULL;
}

/* Three ranks give the single run's result on every rank, bit for bit, with
 * windows of eight values (several narrowing passes, gathers split over
 * the ranks) and with more ranks than blocks. */
static void test_ranks_exactly(void)
{
    mtfs_scenario *s = load(SCENARIO);
    static const size_t paths[] = {50000, 700};
    for (size_t c = 0; s && c < 2; c++) {
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.paths = paths[c];
        o.seed_given = 1;
        o.seed = 17;
        o.threads = 2;
        mtfs_mc_result *one = NULL;
        mtfs_error err;
        CHECK(mtfs_mc_run(s, &o, &one, &err) == MTFS_OK);
        mc_stream_test_gather_window(8);
        fake_world world;
        pthread_barrier_init(&world.bar, NULL, RANKS);
        fake_rank ranks[RANKS];
        pthread_t tid[RANKS];
        for (size_t r = 0; r < RANKS; r++) {
            ranks[r] = (fake_rank){&world, r, {0}, s, &o, NULL, MTFS_OK};
            CHECK(pthread_create(&tid[r], NULL, fake_rank_run, &ranks[r]) == 0);
        }
        for (size_t r = 0; r < RANKS; r++)
            pthread_join(tid[r], NULL);
        mc_stream_test_gather_window(0);
        pthread_barrier_destroy(&world.bar);
        for (size_t r = 0; r < RANKS; r++) {
            CHECK(ranks[r].st == MTFS_OK);
            CHECK(one && ranks[r].result && same_result(one, ranks[r].result));
            CHECK(!ranks[r].result || ranks[r].result->passes >= (c == 0 ? 4u : 3u));
            mtfs_mc_result_free(ranks[r].result);
        }
        mtfs_mc_result_free(one);
    }
    mtfs_scenario_free(s);
}

void suite_mc_shard(void)
{
    test_ranks_exactly();
    test_shards_merge_exactly();
    test_shard_allocation_failures();
    test_batch_shards();
}
