/*
 * mtfs/tornado.h - which uncertain inputs matter most: the swing of the
 * final-year gap as each input moves to its 10th and 90th percentile with
 * every other input at its deterministic value (docs/model.md section 7).
 */
#ifndef MTFS_TORNADO_H
#define MTFS_TORNADO_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/scenario.h"
#include "mtfs/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char key[160];          /* the input's path, e.g. "services.adults.demand" */
    char label[200];        /* for people, from the input registry: "Demand growth, adults" */
    mtfs_unit unit;         /* the unit of low_value and high_value */
    double low_value;       /* the input at its P10 (first year for a series) */
    double high_value;      /* the input at its P90 */
    double low_gap;         /* final-year gap with the input at P10 */
    double high_gap;        /* ... at P90 */
    double swing;           /* |high_gap - low_gap| */
} mtfs_tornado_row;

typedef struct {
    double base_gap;        /* final-year gap of the deterministic scenario */
    int final_year;         /* calendar year of the final year */
    size_t n;
    mtfs_tornado_row *rows; /* sorted by swing, largest first */
} mtfs_tornado;

/* Compute the tornado of scenario s (which must have an uncertainty
 * block).  Release with mtfs_tornado_free. */
mtfs_status mtfs_tornado_compute(const mtfs_scenario *s, mtfs_tornado **out, mtfs_error *err);
void mtfs_tornado_free(mtfs_tornado *t);

#ifdef __cplusplus
}
#endif
#endif
