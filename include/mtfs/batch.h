/*
 * mtfs/batch.h - run many scenarios and test CI thresholds on each.
 *
 * One bad scenario is recorded with its error and the rest still run.  The
 * exit code says what happened: 2 when any scenario (or condition) was bad
 * input, otherwise 1 when any condition held, otherwise 0.
 */
#ifndef MTFS_BATCH_H
#define MTFS_BATCH_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/condition.h"
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char *file;
    char *name;               /* NULL when the scenario did not load */
    mtfs_status status;       /* MTFS_OK, or why it could not run */
    char *error;              /* the one-line error, when status != MTFS_OK */
    char *more;               /* the scenario's further problems, one a line, each ending
                                 in a newline; NULL when there are none */
    int base_year;
    size_t horizon;
    double *gap;              /* horizon + 1 values, [0] = 0 */
    double *reserves;
    double *covid_pressure;
    double final_gap;
    double cumulative_gap;
    int below_minimum_year;   /* first calendar year below the minimum; 0 = none */
    int exhausted_year;       /* first calendar year below zero; 0 = none */
    size_t n_failed;          /* conditions that held */
    char **failed;            /* "gap[2028] > 80: gap[2028] = 90.7" */
} mtfs_batch_entry;

typedef struct {
    mtfs_condition *conditions;
    size_t n_conditions;
    mtfs_batch_entry *entries;
    size_t n_entries;
    size_t cap_entries;
    struct mtfs_parse_cache *parse_cache;   /* private: the base files parsed so far */
} mtfs_batch;

/* A batch testing the given conditions (copied). */
mtfs_batch *mtfs_batch_new(const mtfs_condition *conditions, size_t n);
void mtfs_batch_free(mtfs_batch *b);

/* Load, project and test one scenario file, appending its entry.  A bad
 * scenario is recorded, not returned: only running out of memory fails. */
mtfs_status mtfs_batch_run_file(mtfs_batch *b, const char *path, mtfs_error *err);

/* 0 all ran and no condition held; 1 some condition held; 2 some bad input. */
int mtfs_batch_exit_code(const mtfs_batch *b);

/* Summary CSV: one row per scenario. */
/* The status of entry e as every batch output names it: "ok", "failed"
 * (a --fail-if condition held) or "error" (bad input: not run). */
const char *mtfs_batch_status_name(const mtfs_batch_entry *e);

mtfs_status mtfs_batch_write_csv(FILE *out, const mtfs_batch *b, mtfs_error *err);
/* Summary table for people, with every condition that held. */
mtfs_status mtfs_batch_write_table(FILE *out, const mtfs_batch *b, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
