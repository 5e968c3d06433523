/*
 * mtfs/batch_shard.h - a batch split into shards that merge into exactly
 * the single batch's results (docs/scale.md, "Batches in shards").
 *
 * Shard k of n runs scenarios floor((k - 1) M / n) to floor(k M / n) - 1 of
 * the batch's list of M files, and writes their entries (every number
 * exact, every message as it is) to a partial file; the merge checks the
 * partials are every shard of one batch once, and puts the entries back in
 * order: the batch a single run makes, so every writer prints the same
 * bytes.
 */
#ifndef MTFS_BATCH_SHARD_H
#define MTFS_BATCH_SHARD_H

#include <stdio.h>
#include "mtfs/batch.h"
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MTFS_BATCH_PARTIAL_VERSION 1

/* The first scenario of shard k of n over m files, and one past its last. */
size_t mtfs_batch_shard_first(size_t k, size_t n, size_t m);

/* Write batch b, which ran files[first..first + b->n_entries) of the m
 * files `files` as shard k of n, as a partial result. */
mtfs_status mtfs_batch_partial_write(FILE *out, const mtfs_batch *b, char *const *files, size_t m,
                                     size_t k, size_t n, mtfs_error *err);

/* Read the partials paths[0..count), check they are every shard of one
 * batch once (the same engine, file list, conditions and shard count) and
 * that every scenario that ran is unchanged since (its SHA-256), and
 * rebuild the whole batch into *out.  Problems are MTFS_EINPUT, located at
 * the partial's line. */
mtfs_status mtfs_batch_merge(char *const *paths, size_t count, mtfs_batch **out, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
