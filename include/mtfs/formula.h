/*
 * mtfs/formula.h - fair-funding formula alternatives (docs/model.md
 * section 6) over a table of authorities.
 *
 * A formula is a libconfig file: needs blocks with weights, each a mix of
 * cost drivers (columns of the data, or products of two such as
 * "population_0_17*idaci_average_score"), an optional area cost adjustment,
 * resource equalisation at a notional Band D, a floor and a transition.
 * Nothing about any particular formula is in the C code.
 */
#ifndef MTFS_FORMULA_H
#define MTFS_FORMULA_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char name[128];
    size_t n;                 /* authorities in scope */
    const char **code;        /* [n], pointing into the data table */
    const char **label;
    double control_total;     /* G, £m */
    char level_of[128];       /* "funded at the level of": the comparator's name, or "" */
    double *baseline;         /* B_i, £m (less council tax when the formula says council_tax) */
    double *council_tax;      /* taxbase x Band D / 1e6, £m; 0 without council_tax */
    double *population;
    double *need_share;       /* s_i */
    double *resources;        /* R_i, £m */
    double *allocation;       /* A_i after clipping negatives, £m */
    double *final;            /* D_i after floors, £m: sums to G */
    double *per_head;         /* 1e6 D_i / population_i, £ a head */
    size_t *rank;             /* by final funding per head, 1 = highest; equal values share
                                 a rank (mtfs_rank) */
    size_t *rank_shared_by;   /* how many authorities hold rank[i] (1: it alone) */
    size_t *order;            /* the authorities by final funding per head, highest first,
                                 equal ones by name */
    size_t n_years;
    double *transition;       /* lambda(t), [n_years] */
    double *path;             /* T_i(t) = B_i + lambda(t) (D_i - B_i), [i * n_years + t] */
    size_t n_blocks;
    double *block_weight;     /* c_b, [n_blocks] */
    double *block_share;      /* share_ib, [i * n_blocks + b] */
    double sum_resources;     /* sum_j R_j */
    double floor;             /* when has_floor */
    int has_floor;
    char data_path[4096];
    mtfs_table *table;        /* the data, owned: code and label point into it */
    int *line;                /* [n]: the data line of each authority */
} mtfs_formula_result;

/* Load formula `path` (and the data table it names, relative to it), and
 * compute the allocation.  Errors are located: file:line: key '...' for
 * the formula; a file the `data` key names that cannot be read is reported
 * at that key's line.  Every data column the formula uses is checked (every
 * cell empty or a number of the column's kind, and no empty cell in a row
 * it uses): file:line: column '...' at the data line.  A result that is not
 * a finite number is MTFS_ENUMERIC, never returned. */
mtfs_status mtfs_formula_run(const char *path, mtfs_formula_result **out, mtfs_error *err);
void mtfs_formula_result_free(mtfs_formula_result *r);

/* Allocate again with other block weights c_b (n_blocks of them, each 0 to
 * 1, summing to 1): need shares, allocation, final funding, path and rank
 * are recomputed in place from the block shares of the run; nothing is
 * read or allocated.  For weight sensitivity and the benchmark.  Results
 * are checked as in mtfs_formula_run (MTFS_ENUMERIC when not finite). */
mtfs_status mtfs_formula_reweight(mtfs_formula_result *r, const double *weights, mtfs_error *err);

/* Ranks, one rule for every output that shows one.
 *
 * Two values are equal for ranking when they differ by at most
 * MTFS_RANK_TOLERANCE times the larger of their magnitudes and 1: float
 * noise (the same sum added in another order differs in the last few of
 * its 16 digits) is not a difference, while a real one (a penny a head of
 * a £1,000) is 10,000 times above it.  docs/fair-funding.md says why. */
#define MTFS_RANK_TOLERANCE 1e-9

/* Whether a and b are equal for ranking. */
int mtfs_rank_equal(double a, double b);

/* Standard competition ranks of value[0..n-1], highest first: equal values
 * (within the tolerance) share the best rank of their group and the next
 * rank skips, 1, 2, 2, 4.  order[0..n-1] receives the indices highest
 * first, equal values by name (strcmp; name may be NULL: by index), then
 * by index, so the order never depends on the sort; rank[i] is value i's
 * rank and shared_by[i] (when not NULL) how many values hold it.  A group
 * of equal values is built from its first (highest) member: each later
 * member is within the tolerance of it.  Nothing is allocated; O(n^2) at
 * worst (insertion sort), for tables of authorities. */
void mtfs_rank(size_t n, const double *value, const char *const *name, size_t *order, size_t *rank,
               size_t *shared_by);

/* A rank as people read it in a UK table: "2", or "=2" when it is shared. */
const char *mtfs_rank_text(size_t rank, size_t shared_by, char *buf, size_t size);

/* Index of the authority whose code or name is `who`, or (size_t)-1. */
size_t mtfs_formula_find(const mtfs_formula_result *r, const char *who);

/* As mtfs_formula_find, else the one authority whose code or name is `who`
 * in other capitals ("leicestershire"); (size_t)-1 when none is, or when
 * more than one is.  For names typed on a command line; a scenario file
 * names its authority exactly. */
size_t mtfs_formula_find_any_case(const mtfs_formula_result *r, const char *who);

/* The authority among names[0..n) (or codes, when codes is not NULL) that
 * `who` most likely meant: a near spelling or other capitals; else the
 * longest name `who` starts with ("Surrey" for "Surrey County Council");
 * else a name that starts with `who` ("Northamptonshire (county council,
 * to 2021)" for "Northamptonshire"), the first in the data when several
 * do.  NULL when none is close. */
const char *mtfs_authority_nearest(const char *who, const char *const *names,
                                   const char *const *codes, size_t n);

#ifdef __cplusplus
}
#endif
#endif
