/*
 * mtfs/condition.h - threshold conditions for CI runs, such as
 * "gap[2028] > 80" or "below_minimum_year <= 2027".
 *
 * Grammar (spaces anywhere):  QUANTITY [ '[' YEAR ']' ] OP NUMBER
 *   QUANTITY  gap[YEAR], reserves[YEAR], covid_pressure[YEAR],
 *             cumulative_gap (final year) or cumulative_gap[YEAR],
 *             final_gap, below_minimum_year, exhausted_year
 *   YEAR      2028 or 2028/29 (the financial year starting in 2028)
 *   OP        <  <=  >  >=  ==
 *   NUMBER    £m for money; a year, or "none", for the two year quantities
 * below_minimum_year is the first year reserves at year end are below the
 * minimum; exhausted_year the first year they are below zero.  Each is
 * "none" (larger than any year) when that never happens, so
 * "exhausted_year <= 2027" does not hold then.  The old name
 * exhaustion_year is refused with a message naming both.
 * == holds within a billionth (relative, at least 1e-9 absolute): money
 * computed in many steps never equals a written decimal to the last bit.
 */
#ifndef MTFS_CONDITION_H
#define MTFS_CONDITION_H

#include "mtfs/error.h"
#include "mtfs/projection.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MTFS_QUANTITY_GAP,
    MTFS_QUANTITY_RESERVES,
    MTFS_QUANTITY_COVID_PRESSURE,
    MTFS_QUANTITY_CUMULATIVE_GAP,
    MTFS_QUANTITY_FINAL_GAP,
    MTFS_QUANTITY_BELOW_MINIMUM_YEAR,
    MTFS_QUANTITY_EXHAUSTED_YEAR
} mtfs_quantity;

typedef enum { MTFS_OP_LT, MTFS_OP_LE, MTFS_OP_GT, MTFS_OP_GE, MTFS_OP_EQ } mtfs_operator;

typedef struct {
    char text[160];         /* the condition as written, for messages */
    mtfs_quantity quantity;
    int year;               /* first calendar year; 0 = none given */
    mtfs_operator op;
    double value;           /* INFINITY for "none" */
} mtfs_condition;

/* Parse `text`.  A malformed condition is MTFS_EINPUT with a message saying
 * what was expected (and the nearest quantity name for a typo). */
mtfs_status mtfs_condition_parse(const char *text, mtfs_condition *out, mtfs_error *err);

/* Evaluate against a projection: *holds is 1 when the condition is true,
 * *actual the value compared.  A year outside the projection is
 * MTFS_EINPUT. */
mtfs_status mtfs_condition_eval(const mtfs_condition *c, const mtfs_projection *p, int *holds,
                                double *actual, mtfs_error *err);

/* Write the quantity as the condition names it, e.g. "gap[2028]". */
char *mtfs_condition_subject(const mtfs_condition *c, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
