/*
 * mc_stats.h - the statistics of a Monte Carlo run (internal to the
 * library; see montecarlo.c and docs/scale.md).
 *
 * Two ways to the same numbers:
 *   - in memory: every path's gap and reserves are kept, and each year's
 *     array is summarised at the end (mc_summarise);
 *   - streaming: nothing per path is kept.  The paths are computed again
 *     in a few passes (they are a deterministic function of the seed and
 *     the block), each pass reading them as they come (mc_stream_consume):
 *     bounds first, then sums and histograms, then only the values of the
 *     bins that hold a wanted rank.  Peak memory does not depend on the
 *     number of paths.
 * Both give the same bytes: percentiles are exact order statistics
 * (selection is exact, whatever the order values arrive in), and sums are
 * taken in 128-bit fixed point, whose integer additions do not depend on
 * order either.  So threads, passes (and later shards) cannot change a
 * digit.
 */
#ifndef MTFS_MC_STATS_H
#define MTFS_MC_STATS_H

#include "mtfs/montecarlo.h"

#include <stddef.h>

/* One block's results as the path loop leaves them: path i's value in
 * year t (1..T) at [(t - 1) * MTFS_MC_BLOCK + i]; below/exhausted: the
 * first year index below the minimum / below zero, 0 for none. */
typedef struct {
    size_t n;
    const double *gap;
    const double *reserves;
    const double *opening;      /* path i's reserves in year 0, or NULL */
    const unsigned char *below;
    const unsigned char *exhausted;
} mc_block;

/* The sum of a[0..n) in fixed point: order-independent, and within
 * 2^-100 of the exact sum relative to n * max|a|.  maxabs >= every |a[i]|. */
double mc_fixed_sum(const double *a, size_t n, double maxabs);

/* A result with its arrays laid out for T years and n_thresholds
 * thresholds (copied), all zero; NULL when out of memory.  Freed by
 * mtfs_mc_result_free. */
mtfs_mc_result *mc_result_new(size_t T, const double *thresholds, size_t n_thresholds);
/* How many doubles its arrays hold, one block from gap_pct on. */
size_t mc_result_doubles(size_t T, size_t n_thresholds);

/* ---- In memory ---------------------------------------------------- */

typedef struct mc_scratch mc_scratch;
/* Scratch for summarising arrays of up to n values; NULL: out of memory. */
mc_scratch *mc_scratch_new(size_t n);
void mc_scratch_free(mc_scratch *w);

/* Summarise year t of a series (0 gap, 1 cumulative gap, 2 reserves)
 * held in data[0..N) into res (its percentiles, and for gap and reserves
 * the mean; for gap the spread and the threshold shares). */
void mc_summarise(mtfs_mc_result *res, mc_scratch *w, int series, size_t t, const double *data,
                  size_t N);

/* ---- Streaming ------------------------------------------------------ */

typedef struct mc_stream mc_stream;

/* A streaming summary of `paths` paths over T years, for `threads`
 * threads; `opening` 1: the blocks carry the opening reserves (year 0),
 * which vary.  NULL: out of memory. */
mc_stream *mc_stream_new(size_t T, size_t paths, const double *thresholds, size_t n_thresholds,
                         size_t threads, int opening);
void mc_stream_free(mc_stream *m);

/* The most memory a streaming summary holds (bytes), for any path count. */
size_t mc_stream_memory(size_t T, size_t n_thresholds, size_t threads);

/* Before each pass: 1 = another pass over all paths is needed, 0 = the
 * summary is complete, -1 = out of memory. */
int mc_stream_pass_begin(mc_stream *m);
/* During a pass: thread `id` reads one block of paths. */
void mc_stream_consume(mc_stream *m, size_t id, const mc_block *b);
/* After each pass (all threads done): merge what the threads found. */
void mc_stream_pass_end(mc_stream *m);
/* The passes made so far. */
size_t mc_stream_passes(const mc_stream *m);

/* For the tests only: gather windows of at most n values (0: the
 * default), so that small runs exercise the narrowing.  Not thread-safe. */
void mc_stream_test_gather_window(size_t n);

/* ---- Across processes (mtfs-mpi) ------------------------------------ */

/* How the processes (ranks) of one run combine what each found in a pass:
 * each function replaces a[0..n) on every rank with the combination over
 * all ranks, the same bits on each, and returns 0 (or -1: it failed).
 * Every rank calls them in the same order, so a collective per call
 * (MPI_Allreduce) does.  The library never calls MPI itself. */
typedef struct {
    void *context;
    size_t rank, ranks;         /* this process, 0-based, of ranks */
    /* pairs (least, greatest): a[2i] by minimum, a[2i + 1] by maximum */
    int (*min_max)(void *context, double *a, size_t n_pairs);
    int (*sum_counts)(void *context, size_t *a, size_t n);
    /* n signed 128-bit integers (two's complement, host order) by addition */
    int (*sum_fixed)(void *context, void *a, size_t n);
    /* n histogram bins {double least, double greatest, size_t count} */
    int (*bins)(void *context, void *a, size_t n);
    /* every rank's run of values one after another into all[]: rank r's
     * count[r] values, in rank order */
    int (*concat)(void *context, const double *mine, size_t n, double *all, const size_t *count);
    /* 1 when `failed` is nonzero on some rank, else 0 (an agreement every
     * rank reaches, so none waits in a collective for a rank that gave up) */
    int (*any)(void *context, int failed);
} mc_reducer;

/* Combine each pass with the other ranks through r (NULL: this process is
 * the whole run).  r must outlive m. */
void mc_stream_set_reducer(mc_stream *m, const mc_reducer *r);

/* Fill res's percentiles, means, spread and shares for years 1..T (and
 * the reserves' year 0 when the opening reserves vary). */
void mc_stream_results(const mc_stream *m, mtfs_mc_result *res);

#endif
