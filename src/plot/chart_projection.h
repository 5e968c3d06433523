/*
 * plot/chart_projection.h - the projection chart's layout, computed without
 * PLplot from the projection and the page (projection_layout_of), then
 * painted by projection.c.  Declared here for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_CHART_PROJECTION_H
#define MTFS_PLOT_CHART_PROJECTION_H

#include "mtfs/columns.h"
#include "plot/draw.h"

/* The series the chart draws.  Each is a column of the output registry
 * (mtfs/columns.h), which gives its values, its unit and the short name
 * its legend entry or heading shows: no label is written here. */
typedef enum {
    SERIES_SPENDING,
    SERIES_FUNDING,
    SERIES_GAP,
    SERIES_GAP_WITHOUT_COVID,
    SERIES_RESERVES,
    SERIES_MINIMUM,
    SERIES_CAPITAL,  /* capital financing, on the gap panel: with a capital block */
    SERIES_USABLE,   /* usable reserves, on the reserves panel: with earmarked reserves */
    N_SERIES
} projection_series;

/* Series k's column of the registry; NULL only if the registry lost it
 * (mtfs_plot_projection then refuses to draw). */
const mtfs_column *projection_series_column(projection_series k);

typedef struct {
    const mtfs_projection *p;
    /* Whether each series is drawn: the registry's only-if for the
     * scenario (mtfs_column_shown), so the gap without Covid, capital
     * financing and usable reserves appear only with their blocks. */
    int shown[N_SERIES];
} projection_input;

typedef struct {
    int rotate_years;   /* the page's year labels at 45 degrees */
    double mark;        /* marker scale */
    double band;        /* height of the year labels, px */
    /* Vertical positions, design px from the top: the three panels
     * (spending and funding a, gap g, reserves r) and their headings. */
    double head_a, head_g, head_r, fy_title, footer;
    box a, g, r;
    double x0, x1;      /* every panel's x range (year indexes) */
    const double *v[N_SERIES]; /* each series' values by year index, from the registry */
    title_block title;  /* the page moves down by its drop */
    /* Spending and funding: funding is drawn from the base year's
     * spending, where the budget balances. */
    double funding[MTFS_HORIZON_MAX + 1];
    axis_range ya;
    /* The gap: its scale, whether the bars carry values, the bars'
     * half-width, the legend entries shown. */
    axis_range yg;
    int bar_values;
    double value_px, bar_half;
    legend_entry lg_gap[4];
    int n_lg_gap;
    /* Reserves: the scale, the year they first fall below the minimum
     * (exhausted) and the heading's note. */
    axis_range yr;
    int exhausted;
    char reserves_note[128];
    /* Its legend: the general fund (or all reserves), the minimum, usable
     * reserves when shown, the first year below the minimum when there is
     * one; in short words when the long ones would reach the heading. */
    legend_entry lg_res[4];
    int n_lg_res;
} projection_layout;

void projection_layout_of(const chart *c, const projection_input *in, projection_layout *l);

#endif
