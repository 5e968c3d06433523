/*
 * mc_source.h - a Monte Carlo run split into shards and put together
 * again (internal to the library; mc_shard.c uses it, montecarlo.c
 * implements it; see docs/scale.md).
 *
 * A shard computes the paths of a contiguous run of blocks and keeps them
 * (mc_run_blocks).  The merge reads them back block by block, in block
 * order, into the same summary a single run makes (mc_run_source): in
 * memory when every path fits, streaming in passes otherwise, the same
 * bytes either way.
 */
#ifndef MTFS_MC_SOURCE_H
#define MTFS_MC_SOURCE_H

#include "mtfs/montecarlo.h"
#include "mc_stats.h"

/* One shard's paths: path0 + i for i < held, as a run keeps them in
 * memory: year t's value of path i at [(t - 1) * held + i]; below and
 * exhausted the first year index below the minimum / zero (0: none);
 * opening (when the opening reserves are uncertain) reserves in year 0. */
typedef struct {
    size_t T, paths;
    unsigned long seed;
    size_t block0, block_end, path0, held;
    int has_opening;
    double *gap, *reserves, *opening;
    unsigned char *below, *exhausted;
} mc_held;

/* Compute the blocks of shard `shard` of `shards` (1-based): blocks
 * floor((shard - 1) B / shards) to floor(shard B / shards) - 1 of the B
 * blocks of the run o describes (paths, seed, threads, max_memory). */
mtfs_status mc_run_blocks(const mtfs_scenario *s, const mtfs_mc_options *o, size_t shard,
                          size_t shards, mc_held *h, mtfs_error *err);
void mc_held_free(mc_held *h);

/* Fill block `block` (its n paths) in the layout of a block in the path
 * loop: year t's value of path i at [(t - 1) * MTFS_MC_BLOCK + i]. */
typedef mtfs_status (*mc_source_fn)(void *context, size_t block, size_t n, double *gap,
                                    double *reserves, double *opening, unsigned char *below,
                                    unsigned char *exhausted, mtfs_error *err);

/* mtfs_mc_run with the paths read from `source` instead of computed: the
 * same result, byte for byte, as the run that computed them. */
mtfs_status mc_run_source(const mtfs_scenario *s, const mtfs_mc_options *o, mc_source_fn source,
                          void *context, mtfs_mc_result **out, mtfs_error *err);

/* mtfs_mc_run as one rank of `red->ranks` processes (mtfs-mpi): this rank
 * computes blocks floor(r B / R) to floor((r + 1) B / R) - 1 (shard r + 1
 * of R) and the ranks combine every pass through red, always in passes
 * (bounded memory).  Every rank ends with the whole run's result, byte for
 * byte that of mtfs_mc_run on the same seed and paths.  Every rank must
 * call it with the same scenario and options. */
mtfs_status mc_run_ranks(const mtfs_scenario *s, const mtfs_mc_options *o, const mc_reducer *red,
                         mtfs_mc_result **out, mtfs_error *err);

#endif
