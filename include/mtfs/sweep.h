/*
 * mtfs/sweep.h - the national sweep: every authority of each formula's
 * scope, under each formula and a grid of its block weights, with the
 * change in funding against the status quo (the formula's baseline) and
 * its uncertainty over the weights (docs/fair-funding.md, "The national
 * sweep").
 *
 * The work is cut into items, one for each formula and weight variant
 * (variant 0: the formula's own weights; then, for each block whose weight
 * can move, `steps` points from c_b (1 - spread) to c_b (1 + spread), the
 * other blocks rescaled to keep the sum 1).  An item's numbers depend on
 * the seed, the formula and the item alone, so any thread count and any
 * split into shards give the same bytes.
 */
#ifndef MTFS_SWEEP_H
#define MTFS_SWEEP_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MTFS_SWEEP_STEPS_MAX 101
#define MTFS_SWEEP_PATHS_MAX 1000000

typedef struct {
    size_t steps;        /* grid points a weighted block; 0: no grid */
    double spread;       /* relative: 0.2 moves a weight of 0.4 over 0.32 to 0.48 */
    size_t paths;        /* Monte Carlo weight draws an item (at least 1) */
    unsigned long seed;
    size_t threads;      /* 1 to 64 */
} mtfs_sweep_options;

typedef struct {
    size_t formula;      /* index into the sweep's files */
    size_t variant;      /* 0: the formula's weights; 1...: the grid */
    size_t block;        /* the block the grid moves ((size_t)-1 for variant 0) */
    double factor;       /* its weight times this (1 for variant 0) */
    double *weights;     /* [n_blocks of the formula] */
    size_t first_row, n_rows;
} mtfs_sweep_item;

typedef struct {
    char *file;          /* as given */
    char *stem;          /* "ffr_like" */
    char *name;          /* the formula's name */
    size_t n_blocks;
    char **block_names;  /* [n_blocks] ("blocks[2]" when unnamed) */
    double *weights;     /* the formula's own c_b */
} mtfs_sweep_formula;

typedef struct mtfs_sweep {
    mtfs_sweep_options options;
    size_t n_formulas;
    mtfs_sweep_formula *formulas;
    size_t n_items;
    mtfs_sweep_item *items;
    size_t n_rows;       /* one for each item and authority of its formula's scope */
    char **code, **label;        /* [n_rows] */
    double *population;          /* [n_rows] */
    double *now;                 /* B_i, £m: the status quo */
    double *under;               /* D_i under the item's weights, £m */
    double *p10, *p50, *p90;     /* of the change D_i - B_i over the weight draws, £m */
    unsigned char *done;         /* [n_items]: computed or merged */
    size_t first_item, end_item; /* the items this process computed (a shard) */
} mtfs_sweep;

/* Load each formula (mtfs_formula_run: errors located in its file) and lay
 * out the items and rows; computes nothing.  options are checked: steps 0
 * or 2 to MTFS_SWEEP_STEPS_MAX, spread 0 to 1 (below 1), paths 1 to
 * MTFS_SWEEP_PATHS_MAX, threads 1 to 64. */
mtfs_status mtfs_sweep_new(const char *const *files, size_t n_files, const mtfs_sweep_options *options,
                           mtfs_sweep **out, mtfs_error *err);
void mtfs_sweep_free(mtfs_sweep *s);

/* Items [*first, *end) of shard k of n (1 <= k <= n): a contiguous share,
 * floor((k-1) I / n) to floor(k I / n). */
void mtfs_sweep_shard_range(const mtfs_sweep *s, size_t k, size_t n, size_t *first, size_t *end);

/* Compute items [first, end) on options.threads threads.  A weight draw
 * whose floor the gains cannot pay is an error naming the formula. */
mtfs_status mtfs_sweep_compute(mtfs_sweep *s, size_t first, size_t end, mtfs_error *err);

/* The computed items as a partial result (text: a header with the engine
 * version, the options, the shard and each file's SHA-256, then every
 * number exactly). */
mtfs_status mtfs_sweep_partial_write(FILE *out, const mtfs_sweep *s, size_t k, size_t n,
                                     mtfs_error *err);

/* Merge partial results (paths[0..n)) into the sweep they are shards of:
 * the formulas are loaded again (each must be unchanged: SHA-256), each
 * shard 1 to N must be there once, with the same options.  The result is
 * the one an unsharded run gives, bit for bit. */
mtfs_status mtfs_sweep_merge(const char *const *paths, size_t n, size_t threads, mtfs_sweep **out,
                             mtfs_error *err);

/* Writers (src/report_sweep.c); every number checked finite, nothing
 * written otherwise.  The table: a header (engine version, formulas,
 * seed, paths, steps, spread) and each formula's own weights, authority by
 * authority.  The CSV: every item and authority, full precision. */
mtfs_status mtfs_report_sweep_table(FILE *out, const mtfs_sweep *s, mtfs_error *err);
mtfs_status mtfs_report_sweep_csv(FILE *out, const mtfs_sweep *s, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
