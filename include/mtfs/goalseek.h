/*
 * mtfs/goalseek.h - what council-tax rise, or what recurring saving, meets
 * a target such as "gap[2028] <= 0" (docs/model.md section 7).
 *
 * Brent's method (GSL) on the target quantity minus the target value, to
 * 1e-9 £m.  The quantity falls as either lever rises, so the smallest lever
 * that meets the target is where the two meet.
 *
 * Each lever moves one input of the registry (mtfs/inputs.h) and is
 * bounded: a rise from 0 to the top of council_tax.core's range; a saving
 * from 0 to what there is to cut, the service's recurring budget (a
 * corporate saving: the council's whole spending) in every year it
 * applies, and never above the range of services.savings (contingency).
 */
#ifndef MTFS_GOALSEEK_H
#define MTFS_GOALSEEK_H

#include "mtfs/condition.h"
#include "mtfs/error.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MTFS_LEVER_COUNCIL_TAX,  /* one total rise (core + ASC) in every year from `from` */
    MTFS_LEVER_SAVINGS       /* one recurring saving (£m) from `from` */
} mtfs_lever;

typedef struct {
    mtfs_lever lever;
    char service[128];       /* savings: the service that makes it ("" = corporate) */
    int from_year;           /* first calendar year the lever acts; 0 = the first year */
    mtfs_condition target;   /* e.g. gap[2028] <= 0; a lower bound for reserves */
} mtfs_goalseek_spec;

typedef struct {
    int met;                 /* a lever value within its bounds meets the target */
    int already_met;         /* the scenario as planned meets it: no change, lever_value 0 */
    double lever_value;      /* the rise (0.0499 = 4.99%) or the saving in £m; when not
                                met, lever_max (the best the lever can do) */
    double lever_max;        /* the lever's upper bound (its lower bound is 0) */
    int bound_year;          /* savings: the first year the spending cut from would be
                                all gone at lever_max (0: the registry's range binds) */
    double before;           /* the target quantity in the scenario */
    double after;            /* ... with the lever */
    double raised;           /* £m more council tax, or £m less spending, in the target year */
    int breaks_referendum;   /* the rise is above the referendum limit in some year */
    double referendum_limit; /* the lowest limit over the years the rise applies */
    int referendum_allowed;  /* the scenario says referendum = true */
    int iterations;
} mtfs_goalseek_result;

/* Parse "council_tax", "savings" or "savings:SERVICE" into spec (a
 * misspelt lever gets the nearest name). */
mtfs_status mtfs_goalseek_parse_lever(const char *text, mtfs_goalseek_spec *spec, mtfs_error *err);

/* Solve.  Targets: gap[YEAR], final_gap, cumulative_gap and reserves[YEAR]
 * with any operator (<, <= ask for at most the value; >, >= at least).
 * A target out of reach within the lever's bounds is MTFS_OK with met = 0;
 * a service the scenario does not have is MTFS_EINPUT (with the nearest
 * name). */
mtfs_status mtfs_goalseek(const mtfs_scenario *s, const mtfs_goalseek_spec *spec,
                          mtfs_goalseek_result *out, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
