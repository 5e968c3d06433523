/*
 * mtfs/montecarlo.h - seeded Monte Carlo over a scenario's uncertainty
 * block (docs/model.md section 7, docs/uncertainty.md).
 *
 * Each path draws every uncertain input for every year, runs the
 * deterministic projection, and keeps its gap, cumulative gap and reserves.
 * Paths are grouped in blocks of MTFS_MC_BLOCK; each block's random stream
 * is seeded from the seed and the block's index alone, and each path's
 * results go to its own slot, so the same seed gives bit-identical results
 * whatever the number of threads.
 */
#ifndef MTFS_MONTECARLO_H
#define MTFS_MONTECARLO_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MTFS_MC_BLOCK 1024
#define MTFS_MC_NPCT 7
/* The percentiles reported: 5, 10, 25, 50, 75, 90, 95. */
extern const double mtfs_mc_percentile_levels[MTFS_MC_NPCT];

typedef struct {
    size_t paths;                /* 0: the scenario's uncertainty.paths */
    int seed_given;              /* use `seed` rather than the scenario's */
    unsigned long seed;
    size_t threads;              /* 0 or 1: one thread */
    const double *thresholds;    /* NULL: the scenario's uncertainty.thresholds */
    size_t n_thresholds;
    /* Called now and then from one thread with paths done so far. */
    void (*progress)(void *context, size_t done, size_t total);
    void *progress_context;
    /* The most memory the run may hold, in bytes; 0: the default,
     * mtfs_mc_memory_limit_default().  A run that would need more is
     * refused before anything is allocated (MTFS_EINPUT). */
    size_t max_memory;
    /* Keep no path's results: compute the paths again in a few passes
     * (usually 3), so that peak memory does not depend on the path count.
     * The results are the same bytes either way.  A run whose results
     * would not fit in max_memory streams without being asked. */
    int streaming;
} mtfs_mc_options;

/* Bytes a run of `paths` paths over scenario s with `threads` threads
 * holds at its peak when it keeps every path's results: every path's gap and reserves each year, its first
 * years below the minimum and exhausted, and each thread's scratch for the
 * exact percentiles (about 16 x horizon + 2 + 16 x threads bytes a path).  SIZE_MAX when
 * that does not fit in a size_t. */
size_t mtfs_mc_memory_needed(const mtfs_scenario *s, size_t paths, size_t threads);

/* The default limit: 80% of this machine's physical memory (1 GiB when it
 * cannot be read), so a run is refused rather than killed by the kernel. */
size_t mtfs_mc_memory_limit_default(void);

typedef struct {
    size_t paths;
    size_t horizon;
    int base_year;
    unsigned long seed;
    size_t threads;
    size_t n_thresholds;
    double *thresholds;
    /* [k * (horizon + 1) + t] for percentile level k and year index t. */
    double *gap_pct;
    double *cumulative_pct;
    double *reserves_pct;
    double *gap_mean;            /* [t] */
    double *gap_sd;              /* [t]: standard deviation across paths */
    double *reserves_mean;
    /* [j * (horizon + 1) + t]: share of paths whose gap(t) > thresholds[j]. */
    double *p_gap_above;
    /* [t]: share of paths whose reserves fell below the minimum in some
     * year up to t. */
    double *p_below_minimum;
    /* [t]: share of paths whose reserves fell below zero (ran out) in some
     * year up to t. */
    double *p_exhausted;
    mtfs_projection *deterministic; /* the scenario without uncertainty */
    size_t passes;               /* 0: paths kept in memory; else passes over them */
} mtfs_mc_result;

/* Run the Monte Carlo.  A scenario without an uncertainty block is
 * MTFS_EINPUT.  No allocation happens inside the path loop. */
mtfs_status mtfs_mc_run(const mtfs_scenario *s, const mtfs_mc_options *options,
                        mtfs_mc_result **out, mtfs_error *err);
void mtfs_mc_result_free(mtfs_mc_result *r);

/* Draw only the random numbers a run of `paths` paths would draw (same
 * generator, seeding and count), for the benchmark's floor.  Returns a sum
 * of the draws so the work cannot be optimised away. */
double mtfs_mc_draw_only(const mtfs_scenario *s, size_t paths, unsigned long seed, size_t threads);

#ifdef __cplusplus
}
#endif
#endif
