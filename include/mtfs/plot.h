/*
 * mtfs/plot.h - charts drawn with PLplot (src/plot/ is the only code that
 * uses it): one function per chart, each checking its inputs, drawing into
 * memory and writing the file atomically.
 */
#ifndef MTFS_PLOT_H
#define MTFS_PLOT_H

#include <stddef.h>
#include "mtfs/backtest.h"
#include "mtfs/bridge.h"
#include "mtfs/montecarlo.h"
#include "mtfs/tornado.h"
#include "mtfs/error.h"
#include "mtfs/formula.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one chart can show; more is MTFS_EINPUT from the mtfs_plot_*
 * function, so validation checks inputs against these (a file that
 * validates never fails at drawing time). */
#define MTFS_PLOT_COMPARE_MAX 24    /* scenarios in mtfs_plot_compare */
#define MTFS_PLOT_BARS_MAX 40       /* bars in mtfs_plot_bars; named rows in mtfs_plot_formula */
#define MTFS_PLOT_FORMULA_MAX 1000  /* authorities in mtfs_plot_formula (unnamed columns) */
#define MTFS_PLOT_BACKTEST_MAX 16   /* editions in mtfs_plot_backtest_gaps and _funnel */
/* Rows mtfs_plot_tornado draws at most: the largest swings (the subtitle
 * says how many more there were); not an error. */
#define MTFS_PLOT_TORNADO_ROWS 30

typedef enum { MTFS_PLOT_NONE = 0, MTFS_PLOT_PNG, MTFS_PLOT_SVG, MTFS_PLOT_PDF } mtfs_plot_format;

/* Parse "png", "svg", "pdf" or "none"; returns -1 for anything else. */
int mtfs_plot_format_parse(const char *text);
/* File extension for a format, without the dot ("png"). */
const char *mtfs_plot_format_extension(mtfs_plot_format format);

/* Draw the projection chart of one scenario into `path`: spending and
 * funding lines with the annual gap as bars, and a second panel with
 * reserves against the minimum.  The file is written under a temporary
 * name and renamed into place, so `path` is either the complete new chart
 * or left as it was. */
mtfs_status mtfs_plot_projection(const char *path, mtfs_plot_format format,
                                 const mtfs_scenario *s,
                                 const mtfs_projection *p, mtfs_error *err);

/* Draw the gap bridge as a waterfall: the base-year budget, one bar per
 * non-zero item (rises up in one colour, falls down in another, spending
 * items then funding items), ending at the gap of the bridged year.
 * Written atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_bridge(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                             const mtfs_bridge *bridge, mtfs_error *err);

/* Overlay the annual gap of n scenarios (1 to MTFS_PLOT_COMPARE_MAX, one line each, legend by scenario
 * name) on one financial-year axis covering every scenario's years.
 * Written atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_compare(const char *path, mtfs_plot_format format, size_t n,
                              const mtfs_scenario *const *scenarios,
                              const mtfs_projection *const *projections, mtfs_error *err);

/* The Monte Carlo fan chart: two panels, the annual gap and reserves by
 * financial year, each with shaded 5-95, 10-90 and 25-75 percentile bands,
 * the median and the deterministic line; the reserves panel also shows the
 * minimum.  Title names the scenario, paths and seed. */
mtfs_status mtfs_plot_fan(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                          const mtfs_mc_result *r, mtfs_error *err);

/* The probability that reserves have fallen below their minimum by each
 * year (r->p_below_minimum, not the chance of running out), as bars on a
 * 0-100% axis. */
mtfs_status mtfs_plot_exhaustion(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                                 const mtfs_mc_result *r, mtfs_error *err);

/* The tornado chart: one horizontal bar per input from its P10 gap to its
 * P90 gap around the deterministic final-year gap, largest swing on top;
 * the MTFS_PLOT_TORNADO_ROWS largest when there are more. */
mtfs_status mtfs_plot_tornado(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                              const mtfs_tornado *t, mtfs_error *err);

/* Winners and losers under a formula: one bar per authority in the
 * formula's scope, its change in funding per head (final - baseline, £ a
 * head of the data's population), sorted from the largest gain to the
 * largest loss; authority `highlight` (an index into r, or (size_t)-1 for
 * none) in its own colour and labelled with its name and change.  Up to
 * MTFS_PLOT_BARS_MAX authorities are named rows of horizontal bars; more
 * (up to MTFS_PLOT_FORMULA_MAX) are unnamed columns, with the largest gainer and loser named.  A population
 * of zero or less, or any value that is not finite, is an error.  Written
 * atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_formula(const char *path, mtfs_plot_format format,
                              const mtfs_formula_result *r, size_t highlight, mtfs_error *err);

/* How a named bar is drawn: a comparator, the authority the chart is
 * about (in the colour mtfs_plot_formula highlights with), or a group
 * average (grey, so it does not read as an authority). */
typedef enum { MTFS_BAR_NORMAL, MTFS_BAR_HIGHLIGHT, MTFS_BAR_GROUP } mtfs_bar_style;

typedef struct {
    const char *label;     /* row label, e.g. "Surrey" or "Shire-county average" */
    double value;          /* in the chart's unit */
    mtfs_bar_style style;  /* the authority itself, a comparator, a group average */
    const char *tier;      /* e.g. "county", "London borough"; NULL or "" when not known */
} mtfs_bar;

/* Horizontal bars (1 to MTFS_PLOT_BARS_MAX): the authorities (the
 * highlighted one and comparators) from the largest value to the
 * smallest, then the group averages from the largest to the smallest
 * (equal values in the order given); values printed at the bar ends with
 * thousands separators and no decimals ("£1,234" when `unit` starts with
 * "£ a head" or "£ per head"), `unit` under the axis: the briefing's
 * comparison of funding per head.  A comparator whose tier differs from
 * the highlighted authority's (both known) is marked: its tier after its
 * name, "Camden (London borough)", and a paler bar with its own legend
 * entry, since authorities of different tiers fund different services.
 * title/subtitle are the texts above, source the footer; a legend shows
 * the styles present.  A value that is not finite is MTFS_ENUMERIC naming
 * its label.  Written atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_bars(const char *path, mtfs_plot_format format, const char *title,
                           const char *subtitle, const char *unit, size_t n, const mtfs_bar *bars,
                           const char *source, mtfs_error *err);

/* The back-test's gaps as small multiples: one panel per edition of b (1
 * to MTFS_PLOT_BACKTEST_MAX, in b's order, titled "2020/21 MTFS" from its first year), over
 * the financial years of that edition's plan, all on one shared £m scale:
 * the modelled gap as a line with small markers, the published gap as
 * bold dots where it is published (finite), and the largest difference
 * between the two in the panel's heading when there is room.  A modelled
 * gap that is not finite, or a published one that is infinite, is
 * MTFS_ENUMERIC naming the edition and year; no editions, more than
 * MTFS_PLOT_BACKTEST_MAX,
 * a horizon outside 1 to MTFS_HORIZON_MAX or editions out of first-year
 * order is MTFS_EINPUT.  Written atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_backtest_gaps(const char *path, mtfs_plot_format format,
                                    const mtfs_backtest *b, mtfs_error *err);

/* The forecast funnel: each edition's modelled spending (expenditure,
 * before the gap is closed, years 1 to horizon) as a line on one financial-year axis, coloured
 * light (oldest) to dark (newest), with the budgets actually set (the
 * outturn's net_budget, in year order) as a thick black line on top; a
 * legend names the editions.  Checked like mtfs_plot_backtest_gaps, and a
 * modelled expenditure or a budget set that is not finite is
 * MTFS_ENUMERIC; outturn years out of order is MTFS_EINPUT.  Written
 * atomically like mtfs_plot_projection. */
mtfs_status mtfs_plot_backtest_funnel(const char *path, mtfs_plot_format format,
                                      const mtfs_backtest *b, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
