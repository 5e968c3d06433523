/*
 * mtfs/mc_shard.h - a Monte Carlo run split into shards that merge into
 * exactly the single run's results (docs/scale.md, "Shards and merge").
 *
 * Shard k of n computes a fixed, contiguous share of the run's blocks of
 * MTFS_MC_BLOCK paths (blocks floor((k - 1) B / n) to floor(k B / n) - 1 of
 * B).  A block's paths depend only on the seed and the block's index, so
 * they are the very numbers a single run draws.  The shard writes them to a
 * partial result file (a text header, then the values; the format is in
 * docs/scale.md); the merge checks that its partials are every shard of one
 * run once, and summarises their paths as the single run would, so the
 * results are the same bytes.
 */
#ifndef MTFS_MC_SHARD_H
#define MTFS_MC_SHARD_H

#include <stdio.h>
#include "mtfs/error.h"
#include "mtfs/montecarlo.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the partial file format this library writes and reads. */
#define MTFS_MC_PARTIAL_VERSION 1
/* The most shards a run may be split into. */
#define MTFS_MC_SHARDS_MAX 100000

typedef struct mtfs_mc_partial mtfs_mc_partial;

/* Compute shard `shard` of `shards` (1 <= shard <= shards) of the run that
 * o describes (paths, seed, threads, thresholds, max_memory; streaming is
 * ignored: a shard keeps its own paths, 16 bytes a path a year). */
mtfs_status mtfs_mc_shard(const mtfs_scenario *s, const mtfs_mc_options *o, size_t shard,
                          size_t shards, mtfs_mc_partial **out, mtfs_error *err);

/* Write a computed partial (its header, then its values). */
mtfs_status mtfs_mc_partial_write(FILE *out, const mtfs_mc_partial *p, mtfs_error *err);

/* Read the header of the partial file `path` and check that the file holds
 * exactly the values it announces; the values stay in the file until
 * mtfs_mc_merge reads them.  Problems are located at the header's line. */
mtfs_status mtfs_mc_partial_open(const char *path, mtfs_mc_partial **out, mtfs_error *err);

/* The scenario file the shard ran, as it was named to it. */
const char *mtfs_mc_partial_scenario(const mtfs_mc_partial *p);
/* Shard k of n: k (1-based) and n. */
size_t mtfs_mc_partial_shard(const mtfs_mc_partial *p);
size_t mtfs_mc_partial_shards(const mtfs_mc_partial *p);

void mtfs_mc_partial_free(mtfs_mc_partial *p);

/* Check that parts[0..n) are the shards of one run, each once: the same
 * engine, scenario files (and their SHA-256), seed, paths, thresholds and
 * shard count, and no shard missing.  MTFS_EINPUT, located at the line of
 * the partial that disagrees, otherwise. */
mtfs_status mtfs_mc_partials_check(mtfs_mc_partial *const *parts, size_t n, mtfs_error *err);

/* Merge: check the partials (as above) and that s, loaded from
 * mtfs_mc_partial_scenario(parts[0]), is what the shards read (every file's
 * SHA-256); then summarise their paths into *out, the result of
 * mtfs_mc_run on the same seed and paths, byte for byte.  From o only
 * threads, max_memory and streaming are used (they choose how, never what). */
mtfs_status mtfs_mc_merge(const mtfs_scenario *s, mtfs_mc_partial *const *parts, size_t n,
                          const mtfs_mc_options *o, mtfs_mc_result **out, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
