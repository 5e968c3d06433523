/*
 * mtfs/report.h - tables, CSV and metadata written from a projection.
 *
 * Numbers in CSV are printed with "%.17g" so they read back bit-exactly;
 * tables round to one decimal of £m.  Output never depends on the locale.
 */
#ifndef MTFS_REPORT_H
#define MTFS_REPORT_H

#include <stdio.h>
#include <time.h>
#include "mtfs/bridge.h"
#include "mtfs/error.h"
#include "mtfs/formula.h"
#include "mtfs/goalseek.h"
#include "mtfs/montecarlo.h"
#include "mtfs/tornado.h"
#include "mtfs/sensitivity.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Table options. */
#define MTFS_TABLE_COLOUR 0x1u   /* highlight the gap row with ANSI bold */

/* The human-readable projection table, with the reserves verdict in words. */
mtfs_status mtfs_report_table(FILE *out, const mtfs_scenario *s,
                              const mtfs_projection *p, unsigned options,
                              mtfs_error *err);

/* The CSV of docs/model.md section 8 (and further columns after those). */
mtfs_status mtfs_report_csv(FILE *out, const mtfs_scenario *s,
                            const mtfs_projection *p, mtfs_error *err);

/* One row per service and year: recurring base, spending, inflation,
 * savings planned and delivered. */
mtfs_status mtfs_report_services_csv(FILE *out, const mtfs_scenario *s,
                                     const mtfs_projection *p, mtfs_error *err);


/* The gap bridge as a table (base budget, spending items, funding items,
 * gap) and as CSV (item,label,side,value). */
mtfs_status mtfs_report_bridge_table(FILE *out, const mtfs_scenario *s, const mtfs_bridge *b,
                                     mtfs_error *err);
mtfs_status mtfs_report_bridge_csv(FILE *out, const mtfs_bridge *b, mtfs_error *err);

/* The sensitivity table, sorted as computed, and its CSV. */
mtfs_status mtfs_report_sensitivity_table(FILE *out, const mtfs_scenario *s,
                                          const mtfs_sensitivity_row *rows, size_t n,
                                          double base_final_gap, mtfs_error *err);
mtfs_status mtfs_report_sensitivity_csv(FILE *out, const mtfs_sensitivity_row *rows, size_t n,
                                        double base_final_gap, mtfs_error *err);

/* Several scenarios side by side: the gap by financial year (the union of
 * their years), final-year and cumulative gap, exhaustion year, and the
 * difference from the first scenario.  CSV in long form: one row per
 * scenario and year. */
mtfs_status mtfs_report_compare_table(FILE *out, size_t n, const mtfs_scenario *const *s,
                                      const mtfs_projection *const *p, mtfs_error *err);
mtfs_status mtfs_report_compare_csv(FILE *out, size_t n, const mtfs_scenario *const *s,
                                    const mtfs_projection *const *p, mtfs_error *err);

/* What explains the difference between scenarios: b[i] is scenario i's
 * bridge to its final year; for each scenario after the first, its bridge
 * less the first's (mtfs_bridge_difference).  The table (printed after the
 * compare table) lists the items that differ and the difference in the
 * final gap; the CSV (compare_bridge.csv) has every item of every pair:
 * scenario, against, year, against_year, item, label, side, value,
 * against_value, difference (the items, side spending, funding and base but
 * not base_budget, sum to the gap row's difference). */
mtfs_status mtfs_report_compare_bridge_table(FILE *out, size_t n, const mtfs_scenario *const *s,
                                             const mtfs_bridge *b, mtfs_error *err);
mtfs_status mtfs_report_compare_bridge_csv(FILE *out, size_t n, const mtfs_scenario *const *s,
                                           const mtfs_bridge *b, mtfs_error *err);

/* Monte Carlo: percentiles of the gap, cumulative gap and reserves by
 * year beside the deterministic run, P(gap > threshold), P(reserves below
 * the minimum by each year).  The CSV has one row per year. */
mtfs_status mtfs_report_mc_table(FILE *out, const mtfs_scenario *s, const mtfs_mc_result *r,
                                 mtfs_error *err);
mtfs_status mtfs_report_mc_csv(FILE *out, const mtfs_mc_result *r, mtfs_error *err);

/* Tornado: inputs by swing of the final-year gap. */
mtfs_status mtfs_report_tornado_table(FILE *out, const mtfs_scenario *s, const mtfs_tornado *t,
                                      mtfs_error *err);
mtfs_status mtfs_report_tornado_csv(FILE *out, const mtfs_tornado *t, mtfs_error *err);

/* Goal seek: the answer in words and numbers. */
mtfs_status mtfs_report_goalseek(FILE *out, const mtfs_scenario *s, const mtfs_goalseek_spec *spec,
                                 const mtfs_goalseek_result *r, mtfs_error *err);
/* The same as one CSV row: target, lever, service, from_year, met,
 * already_met, lever_value, before, after, raised, referendum_limit,
 * breaks_referendum_limit, iterations, lever_max and message (the answer
 * in one sentence, as the table's first line after the target). */
mtfs_status mtfs_report_goalseek_csv(FILE *out, const mtfs_scenario *s,
                                     const mtfs_goalseek_spec *spec, const mtfs_goalseek_result *r,
                                     mtfs_error *err);

/* A formula's allocation: every authority's current and new funding,
 * change in £m and %, new funding per head and its rank, with totals; the
 * chosen authority (index `focus`, or (size_t)-1) is marked and summed up
 * in words.  The CSV has one row per authority and every column. */
mtfs_status mtfs_report_formula_table(FILE *out, const mtfs_formula_result *r, size_t focus,
                                      mtfs_error *err);
mtfs_status mtfs_report_formula_csv(FILE *out, const mtfs_formula_result *r, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
