/*
 * mtfs/sensitivity.h - the sensitivity table of council MTFS reports: how
 * much the final-year gap moves when one assumption moves.
 */
#ifndef MTFS_SENSITIVITY_H
#define MTFS_SENSITIVITY_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char label[160];       /* "Pay awards +1 point a year", ... */
    char key[96];          /* "pay", "demand:adults", ... for CSV and JSON */
    double final_gap;      /* the final-year gap under the change, £m */
    double change;         /* final_gap minus the scenario's final-year gap */
} mtfs_sensitivity_row;

/* Compute the table for scenario s: pay +1 point a year, prices +1 point
 * (every economy series but pay), demand +1 point in each service in turn,
 * council tax +1 point a year (the referendum limit is not applied: the
 * question is what the point is worth), tax-base growth +1 point a year, and
 * savings delivery 10 points lower (not below 0).  On success *rows holds
 * *n rows (release with mtfs_sensitivity_free) and *base_final_gap the
 * scenario's own final-year gap. */
mtfs_status mtfs_sensitivity_compute(const mtfs_scenario *s, mtfs_sensitivity_row **rows,
                                     size_t *n, double *base_final_gap, mtfs_error *err);
void mtfs_sensitivity_free(mtfs_sensitivity_row *rows);

#ifdef __cplusplus
}
#endif
#endif
