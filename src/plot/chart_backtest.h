/*
 * plot/chart_backtest.h - the layouts of the back-test charts (published and
 * modelled gaps in small multiples; the forecast funnel), computed without
 * PLplot from the back-test and the page (backtest_gaps_layout_of,
 * backtest_funnel_layout_of), then painted by backtest.c.  Declared here
 * for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_CHART_BACKTEST_H
#define MTFS_PLOT_CHART_BACKTEST_H

#include "plot/draw.h"

typedef struct {
    const mtfs_backtest *b;
    int funnel;       /* the funnel's checks too */
    const char *what; /* the chart, in messages */
} backtest_input;

/* One edition's panel: where it is, its years and its heading. */
typedef struct {
    size_t row, col;
    double top;         /* design px */
    box pb;
    double x0, x1;      /* calendar years, as wide as the longest plan */
    char label[64];     /* "2020/21 MTFS" */
    char note[96];      /* the largest difference, or "" */
} backtest_panel;

typedef struct {
    /* Rows of up to four panels, as square a grid as the count allows. */
    size_t rows, cols, longest;
    double sub_y, legend_y, head_gap, h, w, fy_title, footer;
    title_block title;  /* the page moves down by its drop */
    double left_px, right_px, head_px, note_px;
    axis_range yr;      /* one scale for every panel */
    int n_lg;           /* legend entries: the lower bound's only if used */
    int diff_form;      /* 0 long, 1 short, -1 no difference notes */
    backtest_panel panel[MTFS_PLOT_BACKTEST_MAX];
    char files[512];
} backtest_gaps_layout;

void backtest_gaps_layout_of(const chart *c, const mtfs_backtest *b, backtest_gaps_layout *l);

typedef struct {
    int first, last;    /* calendar years of the x axis */
    double x0, x1;
    double sample, row_h, legend_px, legend_w;
    double left_px, right_px, sub_y, top, bottom, footer, fy_title;
    title_block title;  /* the page moves down by its drop */
    box pb;
    axis_range yr;
    char edition[MTFS_PLOT_BACKTEST_MAX][16]; /* legend: each edition's year */
    char files[512];
} backtest_funnel_layout;

void backtest_funnel_layout_of(const chart *c, const mtfs_backtest *b,
                               backtest_funnel_layout *l);

#endif
