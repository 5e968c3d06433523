/*
 * plot/chart_compare.h - the compare chart's layout, computed without PLplot
 * from the scenarios and the page (compare_layout_of), then painted by
 * compare.c.  Declared here for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_CHART_COMPARE_H
#define MTFS_PLOT_CHART_COMPARE_H

#include "plot/draw.h"

typedef struct {
    size_t n;
    const mtfs_scenario *const *scenarios;
    const mtfs_projection *const *projections;
} compare_input;

/* The end label of one compare line: its final-year value. */
typedef struct {
    size_t series;
    double x, y;  /* the line's last point, design px */
    double want;  /* wanted centre y, design px */
    double w;     /* text width */
    int at_end;   /* the line reaches the last year of the chart */
    int shown;
    rect r;
    char text[64];
} end_label;

typedef struct {
    /* The x axis: calendar years first..last (the first year of each
     * financial year), so scenarios of different eras line up. */
    int first, last;
    double x0, x1, span, mark;
    /* Design px from the top; the plot from left_px to right_px (narrowed
     * for the end labels right of it). */
    double sub_y, top, bottom, footer, legend_top, fy_title;
    title_block title;  /* the page moves down by its drop */
    double left_px, right_px, value_px;
    box pb;
    axis_range yr;
    double px_per_x, px_per_y; /* design px per year and per £m */
    end_label labels[MTFS_PLOT_COMPARE_MAX];
    /* The legend: ncol columns of `rows` rows, each a scenario name after
     * the start all names share (prefix, in the title instead). */
    size_t ncol, rows;
    double row_h, col_w, sample;
    char prefix[400];
    char name[MTFS_PLOT_COMPARE_MAX][512];
    char files[512]; /* the footer's list of scenario files */
} compare_layout;

void compare_layout_of(const chart *c, const compare_input *in, compare_layout *l);

#endif
