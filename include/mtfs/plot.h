/*
 * mtfs/plot.h - charts drawn with PLplot (the only module that uses it).
 */
#ifndef MTFS_PLOT_H
#define MTFS_PLOT_H

#include <stddef.h>
#include "mtfs/bridge.h"
#include "mtfs/montecarlo.h"
#include "mtfs/tornado.h"
#include "mtfs/error.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* Overlay the annual gap of n scenarios (one line each, legend by scenario
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
 * year (r->p_exhausted), as bars on a 0-100% axis. */
mtfs_status mtfs_plot_exhaustion(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                                 const mtfs_mc_result *r, mtfs_error *err);

/* The tornado chart: one horizontal bar per input from its P10 gap to its
 * P90 gap around the deterministic final-year gap, largest swing on top. */
mtfs_status mtfs_plot_tornado(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                              const mtfs_tornado *t, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
